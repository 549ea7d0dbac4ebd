/*
 * Generates build/kernel/asm_offsets.h: the struct offsets entry.S uses, so
 * that the layout is written once (trapframe.h) and never typed twice.  This file
 * is compiled to assembly only; the Makefile extracts the "->NAME value"
 * markers.
 */
#include "trapframe.h"
#include <ax/ipc.h>

#define DEFINE(sym, val)    __asm__ volatile("\n.ascii \"->" #sym " %c0 \"" : : "i"((long)(val)))
#define OFFSET(sym, member) DEFINE(sym, __builtin_offsetof(struct trapframe, member))

void asm_offsets(void);

void
asm_offsets(void)
{
	OFFSET(TF_RAX, rax);
	OFFSET(TF_RBX, rbx);
	OFFSET(TF_RCX, rcx);
	OFFSET(TF_RDX, rdx);
	OFFSET(TF_RSI, rsi);
	OFFSET(TF_RDI, rdi);
	OFFSET(TF_RBP, rbp);
	OFFSET(TF_R8, r8);
	OFFSET(TF_R9, r9);
	OFFSET(TF_R10, r10);
	OFFSET(TF_R11, r11);
	OFFSET(TF_R12, r12);
	OFFSET(TF_R13, r13);
	OFFSET(TF_R14, r14);
	OFFSET(TF_R15, r15);
	OFFSET(TF_VECTOR, vector);
	OFFSET(TF_RIP, rip);
	OFFSET(TF_CS, cs);
	OFFSET(TF_RFLAGS, rflags);
	OFFSET(TF_RSP, rsp);
	DEFINE(TF_SIZE, sizeof(struct trapframe));
	DEFINE(NR_IPC_SENDREC, IPC_SENDREC); /* a kernel call: SENDREC to SYSTEM */
	DEFINE(EP_SYSTEM, SYSTEM);
}
