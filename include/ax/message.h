/*
 * The message: 64 bytes, 16-byte aligned, the only thing IPC moves.
 *
 * m_source is written by the kernel on delivery and can never be forged by a
 * sender.  m_type selects the protocol and call (each protocol owns a range,
 * listed below); a reply carries 0 or -E in m_type.  The payload is a union
 * of one named struct per message, each statically checked to fit.
 *
 *   0x0300 requests every server answers (debug.h)
 *   0x0400 character devices (cdev.h)    0x0500 block devices (bdev.h)
 *   0x0600 kernel calls (kcall.h)        0x0700 reincarnation server (rs.h)
 *   0x0800 data store (ds.h)            0x0900 terminals (tty.h)
 *   0x0A00 the process manager's native requests (pm.h)
 *   0x0B00 file-system servers, asked by VFS (vfs_fs.h)
 *   0x0C00 the VM server's native requests, and the kernel's page faults (vm.h)
 *   0x0D00 VFS's native requests, from PM (vfs.h)
 *   0x1000 notifications (NOTIFY_MESSAGE)
 *   0x2000 test and benchmark protocols (tests/, user/)
 *   0x4000 Linux system calls forwarded by the kernel, 0x4200 their reply (linux.h)
 */
#ifndef AX_MESSAGE_H
#define AX_MESSAGE_H

#include <ax/types.h>
#include <ax/kcall.h>
#include <ax/rs.h>
#include <ax/ds.h>
#include <ax/cdev.h>
#include <ax/bdev.h>
#include <ax/tty.h>
#include <ax/debug.h>
#include <ax/linux.h>
#include <ax/pm.h>
#include <ax/vfs_fs.h>
#include <ax/vm.h>
#include <ax/vfs.h>

#define MSG_PAYLOAD_SIZE 56

#define NOTIFY_MESSAGE 0x1000

/* A notification as the receiver sees it.  m_source names the notifier. */
struct msg_notify {
	uint64_t timestamp;  /* uptime in ticks when delivered */
	uint64_t interrupts; /* from HARDWARE: pending notify-id bits */
	uint64_t sigs;       /* from SYSTEM: reserved for kernel signals */
	uint8_t pad[32];
};

/* Generic payloads, for tests and simple protocols. */
struct msg_u64 {
	uint64_t v[7];
};

struct msg_text {
	char text[MSG_PAYLOAD_SIZE];
};

typedef struct message {
	endpoint_t m_source;
	int32_t m_type;
	union {
		uint8_t m_payload[MSG_PAYLOAD_SIZE];
		struct msg_notify m_notify;
		struct msg_u64 m_u64;
		struct msg_text m_text;
		struct msg_sys_getinfo m_sys_getinfo;
		struct msg_sys_whoami m_sys_whoami;
		struct msg_sys_kinfo m_sys_kinfo;
		struct msg_sys_resources m_sys_resources;
		struct msg_sys_lookup m_sys_lookup;
		struct msg_sys_setalarm m_sys_setalarm;
		struct msg_sys_setalarm_reply m_sys_setalarm_reply;
		struct msg_sys_times m_sys_times;
		struct msg_sys_times_reply m_sys_times_reply;
		struct msg_sys_irqctl m_sys_irqctl;
		struct msg_sys_irqctl_reply m_sys_irqctl_reply;
		struct msg_sys_devio m_sys_devio;
		struct msg_sys_devio_reply m_sys_devio_reply;
		struct msg_sys_exit m_sys_exit;
		struct msg_sys_abort m_sys_abort;
		struct msg_sys_diagctl m_sys_diagctl;
		struct msg_sys_privctl m_sys_privctl;
		struct msg_sys_setgrant m_sys_setgrant;
		struct msg_sys_safecopy m_sys_safecopy;
		struct msg_sys_vsafecopy m_sys_vsafecopy;
		struct msg_sys_update m_sys_update;
		struct msg_sys_statectl m_sys_statectl;
		struct msg_sys_signal m_sys_signal;
		struct msg_sys_sigctl m_sys_sigctl;
		struct msg_sys_sigctl_reply m_sys_sigctl_reply;
		struct msg_sys_image m_sys_image;
		struct msg_sys_privinfo m_sys_privinfo;
		struct msg_sys_spawn m_sys_spawn;
		struct msg_sys_spawn_reply m_sys_spawn_reply;
		struct msg_sys_fork m_sys_fork;
		struct msg_sys_fork_reply m_sys_fork_reply;
		struct msg_sys_brk m_sys_brk;
		struct msg_sys_brk_reply m_sys_brk_reply;
		struct msg_sys_mapimage m_sys_mapimage;
		struct msg_sys_mapimage_reply m_sys_mapimage_reply;
		struct msg_sys_vmctl m_sys_vmctl;
		struct msg_sys_vmctl_reply m_sys_vmctl_reply;
		struct msg_sys_exec m_sys_exec;
		struct msg_sys_probe m_sys_probe;
		struct msg_rs_init m_rs_init;
		struct msg_rs_init_done m_rs_init_done;
		struct msg_rs_request m_rs_request;
		struct msg_rs_reply m_rs_reply;
		struct msg_rs_update m_rs_update;
		struct msg_rs_lu m_rs_lu;
		struct msg_rs_signal m_rs_signal;
		struct msg_rs_keep m_rs_keep;
		struct msg_ds_publish m_ds_publish;
		struct msg_ds_retrieve m_ds_retrieve;
		struct msg_ds_retrieve_reply m_ds_retrieve_reply;
		struct msg_ds_delete m_ds_delete;
		struct msg_ds_subscribe m_ds_subscribe;
		struct msg_ds_retrieve_label m_ds_retrieve_label;
		struct msg_ds_key_reply m_ds_key_reply;
		struct msg_ds_backup m_ds_backup;
		struct msg_cdev_request m_cdev;
		struct msg_cdev_reply m_cdev_reply;
		struct msg_cdev_select_reply m_cdev_select_reply;
		struct msg_bdev_request m_bdev;
		struct msg_bdev_reply m_bdev_reply;
		struct msg_tty_signal m_tty_signal;
		struct msg_debug_dump m_debug_dump;
		struct msg_debug_dump_reply m_debug_dump_reply;
		struct msg_sys_linuxctl m_sys_linuxctl;
		struct msg_lx_call m_lx_call;
		struct msg_lx_reply m_lx_reply;
		struct msg_lx_cancel m_lx_cancel;
		struct msg_pm_request m_pm_request;
		struct msg_pm_reply m_pm_reply;
		struct msg_pm_procinfo m_pm_procinfo;
		struct msg_pm_signal m_pm_signal;
		struct msg_fs_readsuper m_fs_readsuper;
		struct msg_fs_node m_fs_node;
		struct msg_fs_lookup m_fs_lookup;
		struct msg_fs_lookup_reply m_fs_lookup_reply;
		struct msg_fs_putnode m_fs_putnode;
		struct msg_fs_inode m_fs_inode;
		struct msg_fs_stat m_fs_stat;
		struct msg_fs_io m_fs_io;
		struct msg_fs_io_reply m_fs_io_reply;
		struct msg_fs_name m_fs_name;
		struct msg_fs_rename m_fs_rename;
		struct msg_fs_attr m_fs_attr;
		struct msg_vm_request m_vm_request;
		struct msg_vm_reply m_vm_reply;
		struct msg_vm_page m_vm_page;
		struct msg_vm_fault m_vm_fault;
		struct msg_vfs_pm m_vfs_pm;
		struct msg_vfs_pm_reply m_vfs_pm_reply;
		struct msg_vfs_poll m_vfs_poll;
		struct msg_vfs_vm m_vfs_vm;
	};
} __attribute__((aligned(16))) message;

#define MSG_SIZE_CHECK(type) \
	AX_STATIC_ASSERT(sizeof(struct type) == MSG_PAYLOAD_SIZE, #type " must fill the payload")

MSG_SIZE_CHECK(msg_notify);
MSG_SIZE_CHECK(msg_u64);
MSG_SIZE_CHECK(msg_text);
MSG_SIZE_CHECK(msg_sys_getinfo);
MSG_SIZE_CHECK(msg_sys_whoami);
MSG_SIZE_CHECK(msg_sys_kinfo);
MSG_SIZE_CHECK(msg_sys_resources);
MSG_SIZE_CHECK(msg_sys_lookup);
MSG_SIZE_CHECK(msg_sys_setalarm);
MSG_SIZE_CHECK(msg_sys_setalarm_reply);
MSG_SIZE_CHECK(msg_sys_times);
MSG_SIZE_CHECK(msg_sys_times_reply);
MSG_SIZE_CHECK(msg_sys_irqctl);
MSG_SIZE_CHECK(msg_sys_irqctl_reply);
MSG_SIZE_CHECK(msg_sys_devio);
MSG_SIZE_CHECK(msg_sys_devio_reply);
MSG_SIZE_CHECK(msg_sys_exit);
MSG_SIZE_CHECK(msg_sys_abort);
MSG_SIZE_CHECK(msg_sys_diagctl);
MSG_SIZE_CHECK(msg_sys_privctl);
MSG_SIZE_CHECK(msg_sys_setgrant);
MSG_SIZE_CHECK(msg_sys_safecopy);
MSG_SIZE_CHECK(msg_sys_vsafecopy);
MSG_SIZE_CHECK(msg_sys_update);
MSG_SIZE_CHECK(msg_sys_statectl);
MSG_SIZE_CHECK(msg_sys_signal);
MSG_SIZE_CHECK(msg_sys_image);
MSG_SIZE_CHECK(msg_sys_privinfo);
MSG_SIZE_CHECK(msg_sys_spawn);
MSG_SIZE_CHECK(msg_sys_spawn_reply);
MSG_SIZE_CHECK(msg_sys_fork);
MSG_SIZE_CHECK(msg_sys_fork_reply);
MSG_SIZE_CHECK(msg_sys_brk);
MSG_SIZE_CHECK(msg_sys_brk_reply);
MSG_SIZE_CHECK(msg_sys_mapimage);
MSG_SIZE_CHECK(msg_sys_mapimage_reply);
MSG_SIZE_CHECK(msg_rs_init);
MSG_SIZE_CHECK(msg_rs_init_done);
MSG_SIZE_CHECK(msg_rs_request);
MSG_SIZE_CHECK(msg_rs_reply);
MSG_SIZE_CHECK(msg_rs_update);
MSG_SIZE_CHECK(msg_rs_lu);
MSG_SIZE_CHECK(msg_rs_signal);
MSG_SIZE_CHECK(msg_rs_keep);
MSG_SIZE_CHECK(msg_ds_publish);
MSG_SIZE_CHECK(msg_ds_retrieve);
MSG_SIZE_CHECK(msg_ds_retrieve_reply);
MSG_SIZE_CHECK(msg_ds_delete);
MSG_SIZE_CHECK(msg_ds_subscribe);
MSG_SIZE_CHECK(msg_ds_retrieve_label);
MSG_SIZE_CHECK(msg_ds_key_reply);
MSG_SIZE_CHECK(msg_ds_backup);
MSG_SIZE_CHECK(msg_cdev_request);
MSG_SIZE_CHECK(msg_cdev_reply);
MSG_SIZE_CHECK(msg_cdev_select_reply);
MSG_SIZE_CHECK(msg_bdev_request);
MSG_SIZE_CHECK(msg_bdev_reply);
MSG_SIZE_CHECK(msg_tty_signal);
MSG_SIZE_CHECK(msg_debug_dump);
MSG_SIZE_CHECK(msg_debug_dump_reply);
MSG_SIZE_CHECK(msg_sys_linuxctl);
MSG_SIZE_CHECK(msg_lx_call);
MSG_SIZE_CHECK(msg_lx_reply);
MSG_SIZE_CHECK(msg_pm_request);
MSG_SIZE_CHECK(msg_pm_reply);
MSG_SIZE_CHECK(msg_pm_signal);
MSG_SIZE_CHECK(msg_sys_probe);
MSG_SIZE_CHECK(msg_fs_readsuper);
MSG_SIZE_CHECK(msg_vfs_pm);
MSG_SIZE_CHECK(msg_vfs_pm_reply);
MSG_SIZE_CHECK(msg_vfs_poll);
MSG_SIZE_CHECK(msg_vfs_vm);
MSG_SIZE_CHECK(msg_fs_node);
MSG_SIZE_CHECK(msg_fs_lookup);
MSG_SIZE_CHECK(msg_fs_lookup_reply);
MSG_SIZE_CHECK(msg_fs_putnode);
MSG_SIZE_CHECK(msg_fs_inode);
MSG_SIZE_CHECK(msg_fs_stat);
MSG_SIZE_CHECK(msg_fs_io);
MSG_SIZE_CHECK(msg_fs_io_reply);
MSG_SIZE_CHECK(msg_fs_name);
MSG_SIZE_CHECK(msg_fs_rename);
MSG_SIZE_CHECK(msg_fs_attr);
MSG_SIZE_CHECK(msg_sys_vmctl);
MSG_SIZE_CHECK(msg_sys_vmctl_reply);
MSG_SIZE_CHECK(msg_sys_exec);
MSG_SIZE_CHECK(msg_vm_request);
MSG_SIZE_CHECK(msg_vm_reply);
MSG_SIZE_CHECK(msg_vm_page);
MSG_SIZE_CHECK(msg_vm_fault);
AX_STATIC_ASSERT(sizeof(message) == 64, "a message is 64 bytes");

#endif
