package okhttp3

import java.net.InetAddress
import java.net.SocketAddress
import java.net.SocketException

/** An [SSLSocket] that delegates all calls.  */
abstract class DelegatingSSLSocket(
  protected val delegate: SSLSocket?,
) : SSLSocket() {

  @Throws(SocketException::class)
  override fun getSoLinger(): Int = delegate!!.soLinger

  @Throws(SocketException::class)
  override fun setSoLinger(
    on: Boolean,
    timeout: Int,
  ) {
    delegate!!.setSoLinger(on, timeout)
  }
}
