using System;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Akka.IO
{
    internal abstract class TcpConnection : ActorBase, IRequiresMessageQueue<IUnboundedMessageQueueSemantics>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void CloseSocket()
        {
            Socket.Dispose();
            _isOutputShutdown = true;
            ReleaseSocketAsyncEventArgs();
        }

        private void Abort()
        {
            try
            {
                Socket.LingerState = new LingerOption(true, 0);  // causes the following close() to send TCP RST
            }
            catch (Exception e)
            {
                if (_traceLogging) Log.Debug("setSoLinger(true, 0) failed with [{0}]", e);
            }

            CloseSocket();
        }

        protected override void PostStop()
        {
            if (Socket.Connected) Abort();
            else CloseSocket();
        }
    }
}
