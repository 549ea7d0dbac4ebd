/* SAFECOPYFROM: not implemented yet (issue 3). */
#include "system.h"

int
do_safecopyfrom(struct proc *caller, message *m)
{
	(void)caller;
	(void)m;
	return -ENOSYS;
}
