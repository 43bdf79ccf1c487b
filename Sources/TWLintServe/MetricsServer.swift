import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// Bounds of `twlint serve`: what a client can make it hold or do.
public struct ServeLimits: Sendable {
    /// Open connections at once; more are closed as soon as they are accepted.
    public var maxConnections = 32
    /// Bytes of one request (line and headers; requests have no body).
    public var maxRequestBytes = 8 * 1024
    /// A connection with nothing read or written for this long is closed.
    public var idleTimeout: TimeAmount = .seconds(10)
    /// A request must arrive whole within this time of the connection opening (or of the previous response).
    public var requestTimeout: TimeAmount = .seconds(10)
    /// Seconds between two samples of the host: scrapes in between get the last one.
    public var minInterval: Double = 10

    public init() {}
}

/// Samples the host at most once per `minInterval`, on its own thread; scrapes that arrive while a sample
/// is being taken wait for that one (one sampling at a time, whatever the number of scrapes).
public final class Sampler: @unchecked Sendable {
    private let lock = NSLock()
    private var last: (at: UInt64, body: [UInt8])?
    private var waiting: [([UInt8]) -> Void] = []
    private var sampling = false
    private let minInterval: Double
    private let sample: () -> [UInt8]
    private let queue = DispatchQueue(label: "twlint.serve.sampler")

    public init(minInterval: Double, sample: @escaping () -> [UInt8]) {
        self.minInterval = minInterval
        self.sample = sample
    }

    /// Samples taken so far (for tests and logs).
    public private(set) var samples = 0

    public func get(_ done: @escaping ([UInt8]) -> Void) {
        lock.lock()
        let now = DispatchTime.now().uptimeNanoseconds
        if let last, Double(now - last.at) / 1e9 < minInterval {
            lock.unlock()
            done(last.body)
            return
        }
        waiting.append(done)
        let start = !sampling
        sampling = true
        lock.unlock()
        guard start else { return }
        queue.async { [self] in
            let body = sample()
            lock.lock()
            last = (DispatchTime.now().uptimeNanoseconds, body)
            samples += 1
            let callers = waiting
            waiting = []
            sampling = false
            lock.unlock()
            for c in callers { c(body) }
        }
    }
}

/// `twlint serve`: GET (or HEAD) /metrics and /healthz over HTTP/1.1, nothing else, read-only.
public final class MetricsServer {
    let limits: ServeLimits
    let sampler: Sampler
    let group: MultiThreadedEventLoopGroup
    private var channel: Channel?
    private let open = NIOLockedValueBox(0)

    public init(limits: ServeLimits, sampler: Sampler) {
        self.limits = limits
        self.sampler = sampler
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    /// Binds and starts serving; returns the bound address ("127.0.0.1:9101").
    public func start(host: String, port: Int) throws -> (host: String, port: Int) {
        let limits = self.limits, sampler = self.sampler, open = self.open
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 64)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let admitted = open.withLockedValue { n -> Bool in
                    guard n < limits.maxConnections else { return false }
                    n += 1
                    return true
                }
                guard admitted else { return channel.close() }
                channel.closeFuture.whenComplete { _ in open.withLockedValue { $0 -= 1 } }
                let limiter = RequestLimiter(maxBytes: limits.maxRequestBytes, timeout: limits.requestTimeout)
                do {
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: limits.idleTimeout))
                    try channel.pipeline.syncOperations.addHandler(limiter)
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsHandler(sampler: sampler, limiter: limiter))
                    return channel.eventLoop.makeSucceededFuture(())
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
        let channel = try bootstrap.bind(host: host, port: port).wait()
        self.channel = channel
        let bound = channel.localAddress
        return (bound?.ipAddress ?? host, bound?.port ?? port)
    }

    /// Serves until the process is stopped.
    public func wait() throws {
        try channel?.closeFuture.wait()
    }

    public func stop() {
        try? channel?.close().wait()
        try? group.syncShutdownGracefully()
    }

    /// Connections open now.
    public var openConnections: Int { open.withLockedValue { $0 } }
}

/// Closes a connection whose request grows past `maxBytes` or does not arrive whole within `timeout`, and one
/// that has been idle (IdleStateHandler's event).
final class RequestLimiter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let maxBytes: Int
    let timeout: TimeAmount
    private var received = 0
    private var deadline: Scheduled<Void>?
    private weak var context: ChannelHandlerContext?

    init(maxBytes: Int, timeout: TimeAmount) {
        self.maxBytes = maxBytes
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        arm(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }

    private func arm(_ context: ChannelHandlerContext) {
        deadline?.cancel()
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    /// A whole request was read: the next one starts from zero, with a new deadline.
    func requestDone() {
        received = 0
        if let context { arm(context) }
    }

    /// The response is being computed: no deadline while the host is sampled.
    func requestComplete() {
        deadline?.cancel()
        deadline = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received += unwrapInboundIn(data).readableBytes
        if received > maxBytes {
            context.close(promise: nil)
            return
        }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

final class MetricsHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let sampler: Sampler
    let limiter: RequestLimiter
    private var head: HTTPRequestHead?
    private var hasBody = false

    init(sampler: Sampler, limiter: RequestLimiter) {
        self.sampler = sampler
        self.limiter = limiter
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            hasBody = false
        case .body:
            hasBody = true
        case .end:
            guard let head else { return }
            self.head = nil
            limiter.requestComplete()
            respond(context, head)
        }
    }

    private func respond(_ context: ChannelHandlerContext, _ head: HTTPRequestHead) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        let keepAlive = head.isKeepAlive && !hasBody
        guard !hasBody else { return send(context, head, .payloadTooLarge, "requests have no body\n", keepAlive: false) }
        guard head.method == .GET || head.method == .HEAD else {
            return send(context, head, .methodNotAllowed, "GET or HEAD only\n", keepAlive: keepAlive, extra: [("Allow", "GET, HEAD")])
        }
        switch path {
        case "/healthz":
            send(context, head, .ok, "ok\n", keepAlive: keepAlive)
        case "/metrics":
            let loop = context.eventLoop
            let bound = NIOLoopBound((self, context), eventLoop: loop)
            sampler.get { body in
                loop.execute {
                    let (handler, context) = bound.value
                    handler.send(context, head, .ok, body, keepAlive: keepAlive,
                                 contentType: "text/plain; version=0.0.4; charset=utf-8")
                }
            }
        default:
            send(context, head, .notFound, "twlint serves /metrics and /healthz only\n", keepAlive: keepAlive)
        }
    }

    private func send(_ context: ChannelHandlerContext, _ request: HTTPRequestHead, _ status: HTTPResponseStatus, _ text: String,
                      keepAlive: Bool, extra: [(String, String)] = []) {
        send(context, request, status, Array(text.utf8), keepAlive: keepAlive, extra: extra)
    }

    private func send(_ context: ChannelHandlerContext, _ request: HTTPRequestHead, _ status: HTTPResponseStatus, _ body: [UInt8],
                      keepAlive: Bool, contentType: String = "text/plain; charset=utf-8", extra: [(String, String)] = []) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", String(body.count))])
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        for (n, v) in extra { headers.add(name: n, value: v) }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if keepAlive {
            limiter.requestDone()
        } else {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
