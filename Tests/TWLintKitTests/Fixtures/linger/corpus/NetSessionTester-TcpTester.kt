package com.demonv.netsessiontester.network

import android.content.Context
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.Socket
import java.net.SocketException

/**
 * - close 时使用 SO_LINGER(0) 加速释放。
 */
class TcpTester(context: Context) {
    private val appContext = context.applicationContext

    private fun openOne(address: InetAddress, port: Int, timeoutMs: Int, expectedEpoch: Long): OpenResult {
        var socket: Socket? = null
        return try {
            if (releaseEpoch.get() != expectedEpoch) return OpenResult(discarded = true)
            val candidate = Socket()
            socket = candidate
            candidate.keepAlive = true
            candidate.tcpNoDelay = true
            val connectStartedAt = System.nanoTime()
            candidate.connect(InetSocketAddress(address, port), timeoutMs)
            val connectLatencyMs = ((System.nanoTime() - connectStartedAt) / 1_000_000L).toInt().coerceAtLeast(1)
            if (releaseEpoch.get() != expectedEpoch) {
                fastClose(candidate)
                OpenResult(discarded = true)
            } else {
                OpenResult(socket = candidate, connectLatencyMs = connectLatencyMs)
            }
        } catch (e: Throwable) {
            socket?.let(::fastClose)
            OpenResult(error = classifyError(e))
        }
    }

    private fun fastClose(socket: Socket) {
        runCatching { socket.setSoLinger(true, 0) }
        runCatching { socket.close() }
    }

    private fun classifyError(e: Throwable): String {
        val message = e.message.orEmpty().lowercase()
        return when (e) {
            is SocketException -> when {
                "cannot assign requested address" in message -> "端口耗尽"
                "connection reset" in message -> "重置"
                else -> "Socket异常"
            }
            else -> e.javaClass.simpleName
        }
    }
}
