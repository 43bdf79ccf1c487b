package io.ktor.server.testing.suites

import io.ktor.network.selector.*
import io.ktor.network.sockets.*
import io.ktor.server.engine.*
import io.ktor.utils.io.*
import kotlinx.coroutines.*
import kotlin.test.Test

abstract class HttpRequestLifecycleTest<TEngine : ApplicationEngine, TConfiguration : ApplicationEngine.Configuration>(
    val engine: ApplicationEngineFactory<TEngine, TConfiguration>
) : EngineTestBase<TEngine, TConfiguration>(engine) {

    @Test
    open fun testPipelinedRequestsCancelledOnDisconnect() = runTest {
        val pipelinedCount = 10

        SelectorManager().use { selector ->
            aSocket(selector).tcp().connect("127.0.0.1", port) {
                lingerSeconds = 0
            }.use { socket ->
                val output = socket.openWriteChannel()
                repeat(pipelinedCount) {
                    output.writeStringUtf8("GET /slow HTTP/1.1\r\n")
                    output.writeStringUtf8("Connection: keep-alive\r\n")
                    output.writeStringUtf8("\r\n")
                }
                output.flush()

                socket.close()
                socket.awaitClosed()
            }
        }
    }
}
