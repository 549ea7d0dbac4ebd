/* SAFECOPYTO: not implemented yet (issue 3). */
#include "system.h"

int
do_safecopyto(struct proc *caller, message *m)
{
	(void)caller;
	(void)m;
	return -ENOSYS;
}
