/* SETGRANT: not implemented yet (issue 3). */
#include "system.h"

int
do_setgrant(struct proc *caller, message *m)
{
	(void)caller;
	(void)m;
	return -ENOSYS;
}
