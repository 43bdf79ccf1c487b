#include <sys/types.h>
#include <sys/param.h>
#include <sys/socket.h>
#include "socket.h"

/** Set the socket "linger" option. */
int socket_linger(int fd, int onoff, int seconds)
{
  struct linger opt;
  opt.l_onoff = onoff;
  opt.l_linger = seconds;
  return setsockopt(fd, SOL_SOCKET, SO_LINGER, &opt, sizeof opt) == 0;
}
