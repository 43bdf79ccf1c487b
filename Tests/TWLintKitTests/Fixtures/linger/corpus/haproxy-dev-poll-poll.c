#define _GNU_SOURCE // for POLLRDHUP
#include <sys/socket.h>
#include <netinet/in.h>
#include <stdio.h>
#include <unistd.h>

void usage(int code, const char *arg0)
{
	printf("actions for -c/-s/-l (multiple may be delimited by commas) :\n"
	       "    shw           SHUT_WR : shutdown write side\n"
	       "    lin           disable lingering on the socket\n"
	       "    clo           close the file descriptor\n"
	       "\n", arg0);
}

void do_shb(int fd)
{
	int ret;

	ret = shutdown(fd, SHUT_RDWR);
}

void do_lin(int fd)
{
	struct linger nolinger = { .l_onoff = 1, .l_linger = 0 };
	int ret;

	ret = setsockopt(fd, SOL_SOCKET, SO_LINGER, &nolinger, sizeof(nolinger));
	if (verbose)
		printf("cmd #%d stp #%d: %s(%s=%d): ret=%d%s\n", cmd, cmdstep, __FUNCTION__ + 3, side(fd), fd, ret, get_errno(ret));
}

void do_clo(int fd)
{
	int ret;

	ret = close(fd);
}
