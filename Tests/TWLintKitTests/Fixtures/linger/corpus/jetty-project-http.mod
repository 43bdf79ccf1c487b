#
# Jetty HTTP Connector
#

[version]
9.3

[ini-template]
### HTTP Connector Configuration

## Connector port to listen on
jetty.http.port=8080

## Connector socket linger time in seconds (-1 to disable)
# jetty.http.soLingerTime=-1
