# gdb commands for the kernel's own tables; `make gdb` sources this file
# (build/gdbinit loads build/kernel.elf first).  Every table's size is read
# from the build's debug information (sizeof), never written here, so the
# commands follow NR_SLOTS, NR_PRIVS, NR_SCHED_QUEUES and NR_IRQ_HOOKS.
#   ps        the process table (slot, endpoint, flags, priority, name)
#   runq      the ready queues
#   privs     the privilege table (id, process, flags, call mask, IRQs, signal manager)
#   grants    the grant table each process registered (where, how many entries)
#   timers    the armed kernel timers, soonest first
#   irqhooks  the interrupt hooks in use
#   callers   N: the processes blocked sending to the process in slot N
#   frame-of  N: the saved user registers of the process in slot N
# The servers' tables (RS's services, DS's entries) live in their own
# address spaces: ask the running system for them (the dump key Ctrl-T on
# the console, or DEBUG_DUMP; see README.md, "Debugging").

define ps
  set $n = sizeof(proc_table) / sizeof(proc_table[0])
  set $i = 0
  while $i < $n
    set $p = &proc_table[$i]
    if !($p->p_rts_flags & 1)
      printf "%4d %8d flags %#06x prio %2d %s\n", $i, $p->p_endpoint, $p->p_rts_flags, $p->p_priority, $p->p_name
    end
    set $i = $i + 1
  end
end
document ps
Print the live slots of the process table.
end

define runq
  if proc_current
    printf "running:  %s(%d), priority %d (in no queue)\n", proc_current->p_name, proc_current->p_endpoint, proc_current->p_priority
  end
  set $n = sizeof(ready_head) / sizeof(ready_head[0])
  set $q = 0
  while $q < $n
    set $p = ready_head[$q]
    if $p
      printf "queue %2d:", $q
      while $p
        printf " %s(%d)", $p->p_name, $p->p_endpoint
        set $p = $p->p_next_ready
      end
      printf "\n"
    end
    set $q = $q + 1
  end
end
document runq
Print the running process and the ready queues, highest priority first.
end

define privs
  set $n = sizeof(priv_table) / sizeof(priv_table[0])
  set $i = 0
  while $i < $n
    set $s = &priv_table[$i]
    if $s->s_flags & 2
      printf "%3d slot %4d %-16s flags %#5x calls %#018lx irqs %#6x sigmgr %d\n", $i, $s->s_proc_slot, proc_table[$s->s_proc_slot].p_name, $s->s_flags, $s->s_call_mask, $s->s_irq_mask, $s->s_sig_mgr
    end
    set $i = $i + 1
  end
end
document privs
Print the privilege structures in use.
end

define grants
  set $n = sizeof(proc_table) / sizeof(proc_table[0])
  set $i = 0
  while $i < $n
    set $p = &proc_table[$i]
    if !($p->p_rts_flags & 1) && $p->p_priv && $p->p_grant_entries
      printf "%s(%d): %lu entries at %#lx\n", $p->p_name, $p->p_endpoint, $p->p_grant_entries, $p->p_grant_table
    end
    set $i = $i + 1
  end
end
document grants
Print where each process's grant table is (the entries are in its memory).
end

define timers
  set $t = timer_list
  while $t
    printf "expires %lu owner slot %d (%s) fn %p\n", $t->t_expiry, $t->t_owner, proc_table[$t->t_owner].p_name, $t->t_fn
    set $t = $t->t_next
  end
  printf "now %lu\n", clock_uptime
end
document timers
Print the armed timers, soonest first, and the clock.
end

define irqhooks
  set $n = sizeof(irq_hooks) / sizeof(irq_hooks[0])
  set $i = 0
  while $i < $n
    set $h = &irq_hooks[$i]
    if $h->h_in_use
      printf "hook %2d irq %2d owner %s(%d) notify id %d policy %#x\n", $i, $h->h_irq, proc_table[$h->h_owner].p_name, $h->h_endpoint, $h->h_notify_id, $h->h_policy
    end
    set $i = $i + 1
  end
end
document irqhooks
Print the interrupt hooks in use.
end

define callers
  set $p = proc_table[$arg0].p_caller_q
  while $p
    printf " %s(%d)", $p->p_name, $p->p_endpoint
    set $p = $p->p_q_link
  end
  printf "\n"
end
document callers
Print the processes blocked sending to the process in slot N.
end

define frame-of
  p/x proc_table[$arg0].p_arch.reg
end
document frame-of
Print the saved registers of the process in slot N.
end
