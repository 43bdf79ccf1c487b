import { OnWebSocketClose, OnWebSocketMessage, WebSocketGatewayBase, WebSocketRegistryValueAccessor, WebSocketService } from '@dogu-private/nestjs-common';
import { categoryFromPlatform, platformTypeFromPlatform, Serial } from '@dogu-private/types';
import { closeWebSocketWithTruncateReason, errorify, Instance, loop, NullLogger } from '@dogu-tech/common';
import { DeviceTcpRelay, DoguDeviceTcpRelayPortHeaderKey, DoguDeviceTcpRelaySerialHeaderKey, TcpRelayRequest, TcpRelayResponse } from '@dogu-tech/device-client-common';
import { IncomingHttpHeaders, IncomingMessage } from 'http';
import { Socket } from 'net';
import WebSocket from 'ws';

@WebSocketService(DeviceTcpRelay)
export class DeviceTcpRelayService
  extends WebSocketGatewayBase<Value, typeof DeviceTcpRelay.sendMessage, typeof DeviceTcpRelay.receiveMessage>
  implements OnWebSocketMessage<Value, typeof DeviceTcpRelay.sendMessage, typeof DeviceTcpRelay.receiveMessage>, OnWebSocketClose<Value>
{

  onWebSocketClose(webSocket: WebSocket, event: WebSocket.CloseEvent, valueAccessor: WebSocketRegistryValueAccessor<Value>): void {
    const { serial, port, hostPort, client } = valueAccessor.get();
    this.logger.info(`DeviceTcpRelayService.onWebSocketClose`, { serial, port });
    client.resetAndDestroy();
    const deviceChannel = this.scanService.findChannel(serial);
    if (deviceChannel) {
      Promise.resolve(deviceChannel.unforward(hostPort)).catch((error) => {
        this.logger.error(`DeviceTcpRelayService.onWebSocketClose. unforward error`, { error: errorify(error) });
      });
    }
  }
}
