/*
 * Where exec's files come from (exec.h).  With VFS running, a path is
 * VFS's to resolve (VFS_PM_EXEC_OPEN/READ/CLOSE, include/ax/vfs.h): as the
 * process would, with its root, working directory and permissions.  The
 * boot image answers paths /boot/<program>, a module's program name (its
 * file name without .elf): that is how PM_START's programs, and exec's
 * until the root file system holds them, are found; with VFS running it is
 * asked only for /boot/ paths VFS does not know.
 */
#include "exec.h"
#include <ax/vfs.h>
#include <string.h>

#define BOOT_DIR "/boot/"

/* VFS's endpoint, or NONE when it does not run. */
static endpoint_t
vfs(void)
{
	endpoint_t e;

	return sys_lookup("vfs", &e) == 0 ? e : NONE;
}

static int
vfs_call(int type, struct msg_vfs_pm *rq, struct msg_vfs_pm_reply *rp)
{
	return pm_tell_vfs(type, rq, rp); /* vfs.c */
}

static int
vfs_open(struct mproc *mp, const char *path, struct exec_file *f)
{
	struct msg_vfs_pm rq = { .v_endpt = mp->mp_endpt, .v_len = (uint32_t)strlen(path) };
	struct msg_vfs_pm_reply rp;
	endpoint_t e = vfs();
	int r;

	if (e == NONE)
		return -ENOSYS;
	if ((rq.v_grant = cpf_grant_direct(e, path, rq.v_len, GRANT_READ)) == GRANT_INVALID)
		return -ENOMEM;
	r = vfs_call(VFS_PM_EXEC_OPEN, &rq, &rp);
	cpf_revoke(rq.v_grant);
	if (r < 0)
		return r;
	*f = (struct exec_file){ .kind = EXEC_FILE_VFS,
				 .size = rp.r_size,
				 .handle = rp.r_handle,
				 .id = rp.r_file_id,
				 .endpt = mp->mp_endpt };
	return 0;
}

/* The boot module whose program name is path's name under /boot/. */
int
exec_file_open_boot(const char *path, struct exec_file *f)
{
	char name[PROC_NAME_LEN];
	const char *want = path + strlen(BOOT_DIR);
	size_t size;

	if (strncmp(path, BOOT_DIR, strlen(BOOT_DIR)) != 0 || !*want || strchr(want, '/'))
		return -ENOENT;
	for (int i = 0; sys_getimage(i, NULL, 0, &size, name) == 0; i++) {
		if (strcmp(name, want) == 0) {
			*f = (struct exec_file){ .kind = EXEC_FILE_BOOT, .size = size, .index = i };
			return 0;
		}
	}
	return -ENOENT;
}

int
exec_file_open(struct mproc *mp, const char *path, struct exec_file *f)
{
	int r = vfs_open(mp, path, f);

	if (r == -ENOSYS || (r == -ENOENT && strncmp(path, BOOT_DIR, strlen(BOOT_DIR)) == 0))
		r = exec_file_open_boot(path, f);
	return r;
}

/* VFS may answer with fewer bytes than asked for: ask again until len or the end. */
static int64_t
vfs_read(struct exec_file *f, uint64_t pos, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		struct msg_vfs_pm rq = { .v_endpt = f->endpt,
					 .v_handle = f->handle,
					 .v_pos = pos + done,
					 .v_len = (uint32_t)(len - done) };
		struct msg_vfs_pm_reply rp;
		int r;

		rq.v_grant =
			cpf_grant_direct(vfs(), (uint8_t *)buf + done, len - done, GRANT_WRITE);
		if (rq.v_grant == GRANT_INVALID)
			return -ENOMEM;
		r = vfs_call(VFS_PM_EXEC_READ, &rq, &rp);
		cpf_revoke(rq.v_grant);
		if (r < 0)
			return r;
		if (rp.r_bytes == 0 || rp.r_bytes > len - done)
			break;
		done += rp.r_bytes;
	}
	return (int64_t)done;
}

int64_t
exec_file_read(struct exec_file *f, uint64_t pos, void *buf, size_t len)
{
	char name[PROC_NAME_LEN];
	size_t size;
	int r;

	if (pos >= f->size)
		return 0;
	if (len > f->size - pos)
		len = (size_t)(f->size - pos);
	if (f->kind == EXEC_FILE_BOOT) {
		r = sys_getimage_at(f->index, pos, buf, len, &size, name);
		return r < 0 ? r : (int64_t)len;
	}
	if (f->kind != EXEC_FILE_VFS)
		return -EBADF;
	return vfs_read(f, pos, buf, len);
}

void
exec_file_close(struct exec_file *f)
{
	if (f->kind == EXEC_FILE_VFS) {
		struct msg_vfs_pm rq = { .v_endpt = f->endpt, .v_handle = f->handle };

		vfs_call(VFS_PM_EXEC_CLOSE, &rq, NULL);
	}
	f->kind = EXEC_FILE_NONE;
}

void
exec_file_done(struct mproc *mp)
{
	struct msg_vfs_pm rq = { .v_endpt = mp->mp_endpt };

	vfs_call(VFS_PM_EXEC_DONE, &rq, NULL);
}
