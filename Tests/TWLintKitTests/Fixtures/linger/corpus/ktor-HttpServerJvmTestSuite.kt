package io.ktor.server.testing.suites

import io.ktor.http.*
import io.ktor.server.engine.*
import io.ktor.server.routing.*
import kotlinx.coroutines.*
import java.net.InetSocketAddress
import java.net.Socket
import kotlin.test.Test

abstract class HttpServerJvmTestSuite<TEngine : ApplicationEngine, TConfiguration : ApplicationEngine.Configuration>(
    hostFactory: ApplicationEngineFactory<TEngine, TConfiguration>
) : EngineTestBase<TEngine, TConfiguration>(hostFactory) {

    @Test
    fun testConnectionReset() = runTest {
        val completed = Job()

        socket {
            // to ensure immediate RST at close it is very important to set SO_LINGER = 0
            setSoLinger(true, 0)

            outputStream.writePacket(
                RequestResponseBuilder().apply {
                    requestLine(HttpMethod.Get, "/file", "HTTP/1.1")
                    headerLine("Host", "localhost:$port")
                    headerLine("Connection", "keep-alive")
                    emptyLine()
                }.build()
            )

            outputStream.flush()

            inputStream.read(ByteArray(100))
        } // send FIN + RST

        withTimeout(5000L) {
            completed.join()
        }
    }
}
