# gdb commands for Axolotl's own tables; `make gdb` sources this file.
#   ps        the process table (slot, endpoint, flags, name)
#   runq      the ready queues
#   frame-of  N: the saved user registers of the process in slot N

define ps
  set $i = 0
  while $i < 256
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
  set $q = 0
  while $q < 16
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
Print the ready queues, highest priority first.
end

define frame-of
  p/x proc_table[$arg0].p_arch.reg
end
document frame-of
Print the saved registers of the process in slot N.
end
