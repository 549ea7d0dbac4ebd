# Axolotl: one plain Makefile.  Each component folder adds a short fragment
# (Makefile.inc) naming its sources, found by the wildcard below; the rules
# live here.
#
#   make run     build, then boot in QEMU to a shell on the serial console here (Ctrl-A X quits)
#   make demo    the same, the scripted demo of self-repair instead of the shell
#   make test    host unit tests, the guest tests under QEMU, the session tests
#   make test-session   the session tests alone (SESSION="shell init" for some)
#   make test-clang   the same, everything built by clang (make test CC=clang)
#   make bench   instruction-count benchmarks, Axolotl beside Linux
#                (ONLY=ipc,kcall: only the figures whose names begin so, no Linux)
#   make gdb     boot halted, with gdb attached to QEMU
#
# Everything is built under build/; `make clean` removes it.

BUILD		:= build
CC		:= gcc
LD		:= ld
OBJCOPY		:= objcopy
PYTHON		:= python3

# The optimisation level: `make test OPT=-O0 BUILD=build/o0` runs the tests on
# code of a very different length (docs/testing.md).
OPT		?= -O2
WARN		:= -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wundef
# The compiler's own headers (stddef.h, stdarg.h), asked for when a rule
# first needs them, not when this file is read: on a machine with only
# make, `make test` must reach tools/deps.sh before anything runs $(CC).
CC_INCLUDE	= $(eval CC_INCLUDE := $$(shell $$(CC) -print-file-name=include))$(CC_INCLUDE)
COMMON		= -std=gnu11 $(OPT) -g -ffreestanding -fno-builtin -fno-stack-protector \
		   -fno-omit-frame-pointer -fno-pic -mno-red-zone -nostdinc \
		   -isystem $(CC_INCLUDE) -Iinclude $(WARN) -MMD -MP

# The kernel never touches the FPU/SSE: user FPU state survives kernel entry.
KERNEL_CFLAGS	= $(COMMON) -mcmodel=kernel -mgeneral-regs-only -Ikernel -Ikernel/arch/x86_64 \
		   -DAX_KERNEL
# System processes: static, freestanding, linked at 4 MiB.  Each library's
# folder is on the include path (its public header is lib/<name>/<name>.h).
PROC_CFLAGS	= $(COMMON) -mcmodel=small -Ilib/libc/include $(foreach l,$(filter-out libc,$(LIBS)),-Ilib/$(l))
# Host code (tests/unit, the Linux twin): the same warnings as the rest.
HOST_CFLAGS	:= -std=gnu11 -O1 -g $(WARN) -Iinclude

# `make V=1` shows the commands.
ifeq ($(V),1)
Q :=
else
Q := @
endif

all: kernel procs conf

# The kernel's fragment, then every component's: each folder one level down
# (lib/libsys, servers/rs, drivers/hello, tests/guest, user/demo, ...) that
# holds a Makefile.inc is part of the build; a new service adds its folder
# and nothing here.  Sorted, so lib/ comes before tests/ (whose unit tests
# read libc's list).
include kernel/Makefile.inc
include $(sort $(wildcard */*/Makefile.inc))

# ---- the root file system ---------------------------------------------------
# The boot module "rootfs": a Minix v3 image that the memory driver serves
# (MEMORY_ROOTFS) and VFS mounts as / (docs/files.md).  Any Makefile.inc adds
# files with lines `ROOT_FILES += SRC:/DEST[:MODE]` (without MODE, an
# executable SRC becomes 755, any other 644), directories with
# `ROOT_DIRS += DIR[:MODE]`, device nodes, symbolic links and owners with
# `ROOT_NODES += FILE` (tools/mkfs_tree.py's NODES format: what is not
# given an owner there is root's), and hard links with `ROOT_LINKS += FILE`
# (lines `EXISTING NEW`, paths in the image).  tools/mkfs_tree.py writes
# the image, fsck.minix -f checks it.
ROOT_IMAGE_KIB	:= 8192
ROOT_TREE	:= $(BUILD)/rootfs-tree

$(BUILD)/rootfs: $(foreach f,$(ROOT_FILES),$(firstword $(subst :, ,$(f)))) $(ROOT_NODES) \
		$(ROOT_LINKS) tools/mkfs_tree.py $(MAKEFILE_LIST)
	@echo "  ROOTFS  $@"
	$(Q)rm -rf $(ROOT_TREE) && mkdir -p $(ROOT_TREE)
	$(Q)for d in $(ROOT_DIRS); do mkdir -p $(ROOT_TREE)/$${d%%:*}; \
		case $$d in *:*) chmod $${d##*:} $(ROOT_TREE)/$${d%%:*};; *) chmod 755 $(ROOT_TREE)/$$d;; esac; done
	$(Q)for f in $(ROOT_FILES); do src=$${f%%:*}; rest=$${f#*:}; dst=$(ROOT_TREE)$${rest%%:*}; \
		mode=; case $$rest in *:*) mode=$${rest#*:};; esac; \
		mkdir -p $$(dirname $$dst) && cp $$src $$dst || exit 1; \
		if [ -n "$$mode" ]; then chmod $$mode $$dst; elif [ -x $$src ]; then chmod 755 $$dst; \
		else chmod 644 $$dst; fi; done
	$(Q)cat $(ROOT_LINKS) /dev/null | while read old new; do mkdir -p $$(dirname $(ROOT_TREE)$$new) && \
		ln -f $(ROOT_TREE)$$old $(ROOT_TREE)$$new || exit 1; done
	$(Q)cat $(ROOT_NODES) /dev/null > $@.nodes
	$(Q)$(PYTHON) tools/mkfs_tree.py $@.tmp $(ROOT_IMAGE_KIB) $(ROOT_TREE) $@.nodes
	$(Q)fsck.minix -f $@.tmp >/dev/null || { echo "fsck.minix -f finds $@ unclean"; exit 1; }
	$(Q)mv $@.tmp $@

rootfs: $(BUILD)/rootfs
all: rootfs

# ---- kernel ---------------------------------------------------------------
KERNEL_OBJS	:= $(patsubst %.c,$(BUILD)/kernel/%.o,$(filter %.c,$(KERNEL_SRCS))) \
		   $(patsubst %.S,$(BUILD)/kernel/%.o,$(filter %.S,$(KERNEL_SRCS)))

$(BUILD)/kernel/%.o: %.c
	@mkdir -p $(dir $@); echo "  CC      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/kernel/%.o: %.S
	@mkdir -p $(dir $@); echo "  AS      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

# kernel.elf: ELF64 with symbols (gdb, symbolizer); kernel32.elf: what QEMU's
# multiboot loader accepts (it loads by physical address).
# Links also depend on the Makefiles: a source taken off a list must relink.
$(BUILD)/kernel.elf: $(KERNEL_OBJS) kernel/arch/x86_64/kernel.ld $(MAKEFILE_LIST)
	@echo "  LD      $@"
	$(Q)$(LD) -n -nostdlib --no-warn-rwx-segments -T kernel/arch/x86_64/kernel.ld -o $@ $(KERNEL_OBJS)
	$(Q)nm -n $@ > $(BUILD)/kernel.sym
	$(Q)objdump -d $@ > $(BUILD)/kernel.dis

$(BUILD)/kernel32.elf: $(BUILD)/kernel.elf
	$(Q)$(OBJCOPY) -O elf32-i386 $< $@

kernel: $(BUILD)/kernel32.elf

# ---- system processes -----------------------------------------------------
$(BUILD)/proc-obj/%.o: %.c
	@mkdir -p $(dir $@); echo "  CC      $<"
	$(Q)$(CC) $(PROC_CFLAGS) -c $< -o $@

$(BUILD)/proc-obj/%.o: %.S
	@mkdir -p $(dir $@); echo "  AS      $<"
	$(Q)$(CC) $(PROC_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

# One rule archives every library: $(name)_SRCS from lib/<name>/Makefile.inc.
# A process links all of them; the linker takes only what it uses.
define lib_rule
$(BUILD)/lib/$(1).a: $(patsubst %.S,$(BUILD)/proc-obj/%.o,$(patsubst %.c,$(BUILD)/proc-obj/%.o,$($(1)_SRCS))) \
		$(MAKEFILE_LIST)
	@mkdir -p $$(dir $$@)
	$(Q)rm -f $$@; ar rcs $$@ $$(filter %.o,$$^)
endef
$(foreach l,$(LIBS),$(eval $(call lib_rule,$(l))))
LIB_ARCHIVES	:= $(foreach l,$(LIBS),$(BUILD)/lib/$(l).a)

# One rule links every system process: $(name)_SRCS from its fragment.
define proc_rule
$(BUILD)/proc/$(1).elf: $(patsubst %.c,$(BUILD)/proc-obj/%.o,$($(1)_SRCS)) \
		$(LIB_ARCHIVES) lib/libsys/proc.ld $(MAKEFILE_LIST)
	@mkdir -p $$(dir $$@); echo "  LD      $$@"
	$(Q)$(LD) -nostdlib -z max-page-size=4096 -z noseparate-code -T lib/libsys/proc.ld -o $$@ $(BUILD)/proc-obj/lib/libsys/crt0.o \
		$(patsubst %.c,$(BUILD)/proc-obj/%.o,$($(1)_SRCS)) \
		--start-group $(LIB_ARCHIVES) --end-group
endef
$(foreach p,$(PROCS),$(eval $(call proc_rule,$(p))))

# Boot modules go without debug sections: RS keeps a copy of each, and the
# runner copies itself.  The symbolizer and gdb read build/proc/.
$(BUILD)/boot/%.elf: $(BUILD)/proc/%.elf
	@mkdir -p $(dir $@)
	$(Q)objcopy --strip-debug $< $@

procs: $(foreach p,$(PROCS),$(BUILD)/proc/$(p).elf $(BUILD)/boot/$(p).elf) $(BUILD)/boot/folders

# The folder of each program, for tools/axrun.py: the programs of tests/guest
# are booted in test mode only, those of tests/bench in bench mode only.
$(BUILD)/boot/folders: $(MAKEFILE_LIST)
	@mkdir -p $(dir $@)
	$(Q)printf '%s\n' $(foreach p,$(PROCS),"$(p) $(dir $(firstword $($(p)_SRCS)))") > $@

# ---- configuration --------------------------------------------------------
# RS's system.conf for each boot mode, collected from the system.conf beside
# each service's code (drivers/hello/system.conf, ...): tools/sysconf.py.
MODES		:= normal demo test bench
SYSCONF_SRCS	:= $(sort $(wildcard */*/system.conf))

$(BUILD)/conf/%/system.conf: $(SYSCONF_SRCS) tools/sysconf.py
	@mkdir -p $(dir $@); echo "  CONF    $@"
	$(Q)$(PYTHON) tools/sysconf.py $* $@ $(SYSCONF_SRCS)

conf: $(foreach m,$(MODES),$(BUILD)/conf/$(m)/system.conf)

# ---- running ----------------------------------------------------------
# deps first, then a sub-make: on a fresh machine the compiler may only
# exist once deps has run (nothing runs it before: see CC_INCLUDE).
# The harness reads the images from $(BUILD) (AXOLOTL_BUILD).
# DEPS_FOR names what one command needs beyond the rest (tools/deps.sh).
deps:
	@CC='$(CC)' sh tools/deps.sh $(DEPS_FOR)

run: deps
	@$(MAKE) --no-print-directory all
	AXOLOTL_BUILD=$(BUILD) $(PYTHON) tools/axrun.py run

# The Linux twin runs shell.applets' script (applets-linux).
test: DEPS_FOR := --linux

# The scripted demo (user/demo): a crash and a live update of hello, RS's
# and DS's deaths, in a mode without init's shell.
demo: deps
	@$(MAKE) --no-print-directory all
	AXOLOTL_BUILD=$(BUILD) $(PYTHON) tools/axrun.py demo

test: deps
	@$(MAKE) --no-print-directory -j2 all unit-build applets-linux
	AXOLOTL_BUILD=$(BUILD) $(PYTHON) tools/axrun.py test --unit $(UNIT_TESTS) --expect $(GUEST_TESTS)

# The session tests alone (tests/session/, all or SESSION="group ..."):
# Axolotl's shell at the console, typed into by tools/console.py.
test-session: deps
	@$(MAKE) --no-print-directory -j2 all
	AXOLOTL_BUILD=$(BUILD) $(PYTHON) tools/axrun.py session $(SESSION)

bench: DEPS_FOR := --linux
bench: deps
	@$(MAKE) --no-print-directory -j2 all linux-bench-build
	AXOLOTL_BUILD=$(BUILD) $(PYTHON) tools/axrun.py bench $(if $(ONLY),only=$(ONLY))

# The same tests built by clang (CI runs gcc's): its own build folder,
# clang installed first if missing.
test-clang:
	@$(MAKE) --no-print-directory test CC=clang BUILD=$(BUILD)/clang

gdb: DEPS_FOR := --gdb
gdb: deps
	@$(MAKE) --no-print-directory all
	AXOLOTL_BUILD=$(BUILD) $(PYTHON) tools/axrun.py gdb

# The C sources' format (.clang-format): check it, or rewrite the tree.
format-check: DEPS_FOR := --format
format-check: deps
	@sh tools/format.sh --check

format: DEPS_FOR := --format
format: deps
	@sh tools/format.sh

clean:
	rm -rf $(BUILD)

.PHONY: all kernel procs conf rootfs deps run demo test test-session test-clang bench gdb format-check format clean

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
