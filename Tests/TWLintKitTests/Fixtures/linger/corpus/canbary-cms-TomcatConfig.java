package com.adopt.apigw.config;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.coyote.http2.Http2Protocol;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class TomcatConfig {

    @Bean
    public TomcatServletWebServerFactory tomcatFactory() {
        TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory() {
            @Override
            protected void customizeConnector(Connector connector) {
                super.customizeConnector(connector);

                Http11NioProtocol protocol = (Http11NioProtocol) connector.getProtocolHandler();

                // Connection settings
                protocol.setMaxConnections(Integer.parseInt(maxConnection));
                protocol.setConnectionTimeout(Integer.parseInt(connectionTimeout));

                // Keep-alive optimizations
                protocol.setKeepAliveTimeout(30000);
                protocol.setMaxKeepAliveRequests(1000);
                protocol.setConnectionLinger(0); // Changed to 0 for faster connection release

                // Performance optimizations
                protocol.setTcpNoDelay(true);
                protocol.setUseSendfile(true);
            }
        };

        // Configure HTTP/2 once
        factory.addConnectorCustomizers(connector -> {
            connector.addUpgradeProtocol(new Http2Protocol());
        });

        return factory;
    }

}
