/*
 * RS's replica: who restarts RS, and DS.
 *
 * RS runs a second copy of its own program with the argument "replica".
 * The replica does nothing but wait: it makes itself the signal manager of
 * RS and of DS, so when one of them dies the kernel tells the replica,
 * which starts a new program in the dead one's slot (sys_respawn) and lets
 * it run with the argument "recover": built by VM when VM can answer
 * (reincarnate), else loaded by the kernel into the dead one's memory.
 * Nothing of the dead one is left behind, and nothing is needed that the
 * failure may have used up: no free slot, no privilege structure.  A
 * restart that fails all the same (say the image no longer fits) is tried
 * again with growing waits, never given up.  Endpoint, privileges and queued
 * callers stay where they are.  A new RS rebuilds its service table from
 * system.conf, the processes still running and its records in DS
 * (recover.c); a new DS takes its entries back from the copy the replica
 * keeps for it (give_backup, servers/ds/backup.c); a DS that had to start
 * empty tells RS, which publishes its labels and records again.  DS is
 * watched here rather than by RS because RS calls DS synchronously: a DS
 * that died answering RS would leave RS waiting, unable to act.  RS in turn is the
 * replica's signal manager and starts a new replica when the replica dies.
 */
#include "rs.h"
#include <ax/vm.h>
#include <stdlib.h>

#define REPLICA_NAME "rs_replica"
#define BACKUP_TICKS 100 /* how long DS may take to be ready for its backup */

static endpoint_t replica = NONE; /* RS's view: the replica's endpoint */

/*
 * RS's word to its replica on VM: VM_FREE when VM may be asked (RS's table
 * has it running: vm_now), else 0.  RS writes it in its own memory, at
 * each receive and, before it starts or updates VM (VM then waits on RS),
 * at once; the replica reads it in the dead RS's memory (vm_free), where
 * it lies at the same address: the replica is RS's program.
 */
#define VM_FREE 0x766d6672u /* "vmfr" */
volatile uint32_t rs_vm_word;

static uint32_t streak;          /* deaths in quick succession */
static uint64_t started_at, due; /* its last start; the next one, if */
static bool start_due;           /* ...one is due */

/* Is e the replica?  RS asks when a process it does not know dies. */
bool
rs_is_replica(endpoint_t e)
{
	return e != NONE && e == replica;
}

endpoint_t
rs_replica_endpt(void)
{
	return replica;
}

/*
 * RS: the replica's program into e, a slot RS holds empty and manages,
 * built by VM with RS's own build (vmspawn.c), its heap the kernel's (it
 * must never wait on VM: above); 0, or -E and VM has forgotten it.
 */
static int
build_by_vm(endpoint_t vm, endpoint_t e, const uint8_t *image, size_t size)
{
	return rs_vm_build(vm, e, REPLICA_NAME, "replica", image, size, true);
}

/*
 * RS: start a replica (at boot, or after one died); adopt the one running
 * at recovery.  Built by VM when VM runs (RS's boot starts it once VM is
 * up: rs_replica_boot), else by the kernel.
 */
void
rs_replica_start(bool adopt)
{
	struct priv_desc d;
	const uint8_t *image;
	endpoint_t vm = rs_vm_now();
	size_t size;
	int r;

	if (adopt && sys_lookup(REPLICA_NAME, &replica) == 0)
		return;
	replica = NONE;
	started_at = rs_now;
	if (!(image = rs_load_image("rs", &size))) {
		printf("rs: no copy of my own program: running without a replica\n");
		return;
	}
	memset(&d, 0, sizeof(d));
	d.call_mask = ~0ull;
	d.flags = PRIV_FLAG_ROOT | PRIV_FLAG_ADMIN | /* it takes over RS and DS, which only a root
						       may, and gives RS back its admin right */
		  PRIV_FLAG_MAGIC_GRANTS; /* ...and writes the programs VM builds for them */
	d.mem_limit = PRIV_MEM_UNLIMITED; /* like RS: it keeps DS's backup */
	d.nr_ipc = PRIV_DESC_ALL_IPC;
	d.sig_mgr = self_endpoint;
	if (vm != NONE) {
		r = sys_spawn_prio(NULL, 0, REPLICA_NAME, NULL, SERVICE_PRIO, &replica);
		if (r == 0 && ((r = sys_privctl(replica, PRIVCTL_SET, &d, 0, 0)) < 0 ||
			       (r = build_by_vm(vm, replica, image, size)) < 0)) {
			printf("rs: VM could not build my replica (%d): the kernel builds it\n", r);
			sys_kill(replica, SIGKILL); /* reaped as a stranger */
			replica = NONE;
		}
		if (r < 0)
			vm = NONE;
	}
	if ((vm == NONE && ((r = sys_spawn_prio(image, size, REPLICA_NAME, "replica", SERVICE_PRIO,
						&replica)) < 0 ||
			    (r = sys_privctl(replica, PRIVCTL_SET, &d, 0, 0)) < 0)) ||
	    (r = sys_privctl(replica, PRIVCTL_ALLOW, NULL, 0, 0)) < 0) {
		printf("rs: cannot start my replica: %d\n", r);
		if (replica != NONE)
			sys_kill(replica, SIGKILL);
		replica = NONE;
		return;
	}
	rs_keep_all(); /* it knows no program from a file yet */
}

/* RS: VM is about to be started or updated (rp), or RS is about to receive (NULL). */
void
rs_replica_vm_word(const struct rproc *rp)
{
	if (rp && strcmp(rp->label, "vm") != 0)
		return;
	rs_vm_word = !rp && rs_vm_now() != NONE ? VM_FREE : 0;
}

/*
 * RS's boot: the replica is started once VM is up, so that VM builds it
 * (RS and DS are unwatched until then: a crash of either before VM runs
 * stops the boot), and at the latest after the last boot service.
 */
void
rs_replica_boot(bool last)
{
	static bool started;

	if (started || (!last && rs_vm_now() == NONE))
		return;
	started = true;
	rs_replica_start(false);
}

/*
 * RS: the replica died.  It stays frozen in its slot until a new replica
 * program is started there (sys_respawn), with backoff as for services;
 * a restart that fails is tried again later, never given up.
 */
void
rs_replica_died(int signo)
{
	static uint32_t deaths;

	if (rs_report(++deaths))
		printf("rs: my replica died (signal %d), %u times so far\n", signo, deaths);
	streak = rs_now < started_at + COOL_TICKS ? streak + 1 : 1;
	due = rs_now + rs_backoff(streak);
	start_due = true;
	rs_replica_tick();
}

/*
 * A new replica program in the dead one's slot: same endpoint, same
 * privileges.  VM builds it when VM runs (the dead one's space, if VM
 * made it, goes first); else, or if VM cannot, the kernel.
 */
static int
respawn_replica(void)
{
	const uint8_t *image;
	endpoint_t vm = rs_vm_now();
	size_t size;
	int r = -ENOSYS;

	if (!(image = rs_load_image("rs", &size)))
		return -ENOENT;
	if (vm != NONE) {
		(void)rs_vm_request(vm, VM_EXIT, replica); /* -ESRCH: the kernel built it */
		if ((r = sys_respawn(replica, NULL, 0, REPLICA_NAME, NULL, SERVICE_PRIO)) < 0)
			return r;
		if ((r = build_by_vm(vm, replica, image, size)) < 0) {
			printf("rs: VM could not build my replica (%d): the kernel builds it\n", r);
			sys_kill(replica, SIGKILL); /* frozen again, for the kernel's spawn into */
		}
	}
	if (r < 0 &&
	    (r = sys_respawn(replica, image, size, REPLICA_NAME, "replica", SERVICE_PRIO)) < 0)
		return r;
	return sys_privctl(replica, PRIVCTL_ALLOW, NULL, 0, 0);
}

void
rs_replica_tick(void)
{
	int r;

	if (!start_due || rs_now < due)
		return;
	start_due = false;
	started_at = rs_now;
	if (replica == NONE) {
		rs_replica_start(false);
	} else if ((r = respawn_replica()) < 0) {
		printf("rs: cannot restart my replica (%d): trying again\n", r);
		due = rs_now + BACKOFF_MAX;
		start_due = true;
	} else {
		rs_keep_all(); /* the dead one's copies died with it */
	}
}

/* ---- the replica itself ------------------------------------------------ */

/* A boot process the replica keeps alive: RS, and DS (which RS calls, so RS cannot). */
static struct watched {
	const char *program;
	endpoint_t endpt;     /* kept by every new instance */
	const uint8_t *image; /* its program, copied while all is well */
	size_t image_size;
	bool dead;         /* frozen, waiting for its restart */
	uint32_t tries;    /* failed restarts so far */
	uint64_t retry_at; /* the next one */
} watched[] = { { .program = "rs" }, { .program = "ds" } };

#define RS_WATCHED (&watched[0])
#define DS_WATCHED (&watched[1])

/* DS's entries, kept here: they must outlive DS (servers/ds/backup.c). */
static uint8_t *ds_backup;
static grant_id_t ds_backup_grant = GRANT_INVALID;

/*
 * Hand DS its backup (DS_BACKUP).  A non-blocking send, tried for a while:
 * the replica must never wait on DS, whose signals it handles.  DS's
 * answer is not awaited either.
 */
static void
give_backup(void)
{
	message m;
	int r = -ENOTREADY;

	if (DS_WATCHED->endpt == NONE)
		return;
	if (ds_backup_grant == GRANT_INVALID) {
		if (!(ds_backup = malloc(DS_BACKUP_SIZE)) ||
		    (ds_backup_grant =
			     cpf_grant_direct(DS_WATCHED->endpt, ds_backup, DS_BACKUP_SIZE,
					      GRANT_READ | GRANT_WRITE)) == GRANT_INVALID) {
			printf("%s: no memory for DS's backup\n", REPLICA_NAME);
			return;
		}
	}
	memset(&m, 0, sizeof(m));
	m.m_type = DS_BACKUP;
	m.m_ds_backup.grant = ds_backup_grant;
	m.m_ds_backup.size = DS_BACKUP_SIZE;
	for (int tick = 0;
	     tick < BACKUP_TICKS && (r = ipc_sendnb(DS_WATCHED->endpt, &m)) == -ENOTREADY; tick++)
		tickdelay(1);
	if (r < 0)
		printf("%s: cannot give DS its backup: %d\n", REPLICA_NAME, r);
}

/*
 * Become w's signal manager, leaving its privileges as they are: the kernel
 * call mask, flags (RS stays the root and an administrator) and memory limit
 * from the kernel; IPC to everyone, as every boot process that
 * the replica watches has it (kernel/table.c).  One that is gone for good
 * (it died while no replica watched it) is reported and left alone.
 */
static void
watch(struct watched *w)
{
	struct msg_sys_privinfo info;
	struct priv_desc d;
	int r;

	if ((r = sys_lookup(w->program, &w->endpt)) < 0 || (r = sys_getpriv(w->endpt, &info)) < 0) {
		printf("%s: no %s to watch (%d)\n", REPLICA_NAME, w->program, r);
		w->endpt = NONE;
		return;
	}
	if (!(w->image = rs_load_image(w->program, &w->image_size)))
		panic("cannot keep a copy of %s's program", w->program);
	memset(&d, 0, sizeof(d));
	d.call_mask = info.call_mask;
	d.flags = info.flags & (PRIV_FLAG_MAGIC_GRANTS | PRIV_FLAG_ROOT | PRIV_FLAG_ADMIN);
	d.mem_limit = info.mem_limit;
	d.nr_ipc = PRIV_DESC_ALL_IPC;
	d.sig_mgr = self_endpoint;
	if ((r = sys_privctl(w->endpt, PRIVCTL_SET, &d, 0, 0)) < 0)
		panic("cannot become %s's signal manager: %d", w->program, r);
}

/* RS's word on VM (rs_vm_word), read in RS's memory even when RS is dead: VM_FREE or 0. */
static uint32_t
rs_word(void)
{
	uint32_t word = 0;
	grant_id_t g;

	if (RS_WATCHED->endpt == NONE ||
	    (g = cpf_grant_magic(self_endpoint, RS_WATCHED->endpt, (uint64_t)(uintptr_t)&rs_vm_word,
				 sizeof(word), GRANT_READ)) == GRANT_INVALID)
		return 0;
	if (sys_safecopyfrom(self_endpoint, g, 0, &word, sizeof(word)) < 0)
		word = 0;
	cpf_revoke(g);
	return word;
}

/*
 * VM, if the replica may ask it now, else NONE.  The replica must never
 * wait on VM: it is what restarts RS, and VM waits on RS in its init
 * handshake and its live update (SEF's SENDRECs to RS; VM sends nobody
 * else a request), and waiting on a dead RS it would never answer.  So
 * RS's last word must be that VM runs (rs_vm_word: RS was not starting or
 * updating it), and the kernel must show VM neither frozen nor held nor
 * blocked in a send or a SENDREC.  Left open: an update RS rolled back on
 * its time-out whose old version sends its RS_LU_READY to a dead RS just
 * after the replica looked (docs/processes.md section 5).
 */
static endpoint_t
vm_free(void)
{
	struct msg_sys_privinfo info;
	endpoint_t vm;

	if (rs_word() != VM_FREE || sys_lookup("vm", &vm) < 0 || sys_getpriv(vm, &info) < 0 ||
	    (info.state &
	     (PROC_STATE_FROZEN | PROC_STATE_HELD | PROC_STATE_SENDING | PROC_STATE_AWAITING)) ||
	    (info.ipc == PROC_IPC_RECEIVING && info.ipc_peer != ANY))
		return NONE;
	return vm;
}

/*
 * A new program in w's slot: the endpoint, privileges and queued callers
 * stay, and it runs with the argument "recover".  VM builds it when VM may
 * be asked (vm_free): the dead one's space, if VM made it, goes back to VM
 * (VM_EXIT), the slot is emptied (spawn into without an image), and VM
 * builds the program as RS builds services (vmspawn.c), RS's heap the
 * kernel's (it must never wait on VM), DS's VM's (DS allocates nothing).
 * Else, or if VM cannot (out of memory), the kernel's spawn into loads it
 * (sys_respawn): the dead program's memory is what the new one is loaded
 * into, so this needs no free slot, privilege structure or memory that
 * other processes could have used up.  0 or -E; on an error w stays dead,
 * for a retry.
 */
static int
reincarnate(const struct watched *w)
{
	endpoint_t vm = vm_free();
	int r = -ENOSYS;

	if (vm != NONE) {
		(void)rs_vm_request(vm, VM_EXIT, w->endpt); /* -ESRCH: the kernel built it */
		if ((r = sys_respawn(w->endpt, NULL, 0, w->program, NULL, SERVICE_PRIO)) < 0)
			return r;
		if ((r = rs_vm_build(vm, w->endpt, w->program, "recover", w->image, w->image_size,
				     w == RS_WATCHED)) < 0) {
			printf("%s: VM could not build %s (%d): the kernel builds it\n",
			       REPLICA_NAME, w->program, r);
			sys_kill(w->endpt, SIGKILL); /* frozen again, for the kernel's spawn into */
		}
	}
	if (r < 0 && (r = sys_respawn(w->endpt, w->image, w->image_size, w->program, "recover",
				      SERVICE_PRIO)) < 0)
		return r;
	return sys_privctl(w->endpt, PRIVCTL_ALLOW, NULL, 0, 0);
}

/* Restart w now; if that fails, again after a growing wait. */
static void
restart(struct watched *w, uint64_t now)
{
	int r;

	if ((r = reincarnate(w)) == 0) {
		w->dead = false;
		w->tries = 0;
		if (w == DS_WATCHED)
			give_backup(); /* the new DS waits for it */
		return;
	}
	w->retry_at = now + rs_backoff(++w->tries + 1);
	if (rs_report(w->tries))
		printf("%s: cannot restart %s (%d), try %u: again in %llu ticks\n", REPLICA_NAME,
		       w->program, r, w->tries, (unsigned long long)(w->retry_at - now));
}

/* The alarm for the next retry, if one is due (give_backup's waits use the alarm too). */
static void
arm_retry(uint64_t now)
{
	uint64_t first = 0;

	for (size_t i = 0; i < ARRAY_SIZE(watched); i++)
		if (watched[i].dead && (!first || watched[i].retry_at < first))
			first = watched[i].retry_at;
	if (first)
		sys_setalarm(first > now ? first - now : 1, false, NULL);
}

static struct watched *
watched_by_endpoint(endpoint_t e)
{
	for (size_t i = 0; i < ARRAY_SIZE(watched); i++)
		if (watched[i].endpt == e && e != NONE)
			return &watched[i];
	return NULL;
}

/*
 * The signals of RS and DS.  The replica is nobody's service: it takes no
 * init handshake and answers no pings (so no SEF), only SYSTEM's
 * notification.
 */
static void
collect_signals(uint64_t now)
{
	struct watched *w;
	endpoint_t e;
	uint64_t sigs;

	while (sys_getksig(&e, &sigs) == 0 && e != NONE) {
		bool lethal = false;

		for (int signo = 1; signo <= NSIG_AX; signo++)
			lethal |= (sigs & sig_bit(signo)) && rs_lethal(signo);
		if (!(w = watched_by_endpoint(e)) || !lethal) {
			sys_endksig(e);
			continue;
		}
		printf("%s: %s died (signals %#llx): starting a new one\n", REPLICA_NAME,
		       w->program, (unsigned long long)sigs);
		w->dead = true;
		w->tries = 0;
		restart(w, now);
	}
}

/* The clock: retry the restarts that are due. */
static void
retry_due(uint64_t now)
{
	for (size_t i = 0; i < ARRAY_SIZE(watched); i++)
		if (watched[i].dead && now >= watched[i].retry_at)
			restart(&watched[i], now);
}

void
rs_replica_main(void)
{
	message m;
	uint64_t status;

	for (size_t i = 0; i < ARRAY_SIZE(watched); i++)
		watch(&watched[i]);
	give_backup();
	for (;;) {
		if (ipc_receive(ANY, &m, &status) < 0)
			continue;
		if (!ipc_status_is_notify(status)) {
			if (m.m_source == RS_WATCHED->endpt && RS_WATCHED->endpt != NONE)
				replica_keep(m.m_source,
					     &m); /* RS's programs from files (keep.c) */
			continue;
		}
		if (m.m_source == SYSTEM)
			collect_signals(m.m_notify.timestamp);
		else if (m.m_source == CLOCK)
			retry_due(m.m_notify.timestamp);
		arm_retry(m.m_notify.timestamp);
	}
}
