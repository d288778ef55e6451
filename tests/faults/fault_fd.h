/* What kind of descriptor a fault is looking at (through the real calls). */
#ifndef IPCCONF_FAULT_FD_H
#define IPCCONF_FAULT_FD_H

#include <stdbool.h>

/* True when fd is a pipe end or an open FIFO. */
bool fault_fd_is_fifo(int fd);
/* True when fd is a socket. */
bool fault_fd_is_socket(int fd);
/* The descriptor's status flags (F_GETFL), -1 on error. */
int fault_fd_flags(int fd);

#endif
