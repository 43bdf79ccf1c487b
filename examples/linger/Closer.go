package closer

import "net"

// Drop closes a connection at once; c.SetLinger(0) in this comment is not code.
func Drop(c *net.TCPConn) error {
	if err := c.SetLinger(0); err != nil {
		return err
	}
	return c.Close()
}

// Flush waits up to five seconds in Close for the peer to acknowledge the data.
func Flush(c *net.TCPConn) error {
	if err := c.SetLinger(5); err != nil {
		return err
	}
	return c.Close()
}
