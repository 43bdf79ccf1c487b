pub mod tcp_configuration {
    use socket2::{Domain, Socket, Type};
    use std::net::SocketAddr;
    use std::time::Duration;
    use tokio::net::TcpListener;

    /// create tcp listener
    pub fn create_tcp_listener(addr: SocketAddr) -> std::io::Result<TcpListener> {
        let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
        socket.set_reuse_address(true)?;
        socket.set_tcp_nodelay(true)?;
        socket.set_linger(Some(Duration::from_secs(0)))?;
        socket.bind(&addr.into())?;
        socket.listen(128)?;
        todo!()
    }
}
