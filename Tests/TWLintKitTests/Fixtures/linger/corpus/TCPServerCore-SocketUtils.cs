using System.Net.Sockets;

namespace ServerCoreTCP.Utils
{
    static class SocketUtils
    {
        public static void SetLinger(Socket socket, int lingerSeconds)
        {
            if (lingerSeconds <= 0) socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.DontLinger, true);
            else socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Linger, new LingerOption(true, lingerSeconds));
        }
    }
}
