/* A minimal init for containers that run a command rather than a system
 * (`hako sandbox`): the kernel lets a pid namespace's pid 1 ignore every
 * signal it has no handler for, so a payload there would shrug off Ctrl-C
 * and `kill`. With an init, pid 1 forwards signals to the payload, reaps
 * orphans, exits with the payload's status, and dies with the runtime (its
 * death ends the whole pid namespace). */
#pragma once

/* In the container process, set up, just before the payload's exec:
 * async-signal-safe. Forks; returns in the child, which goes on to exec the
 * payload; the parent becomes the init, closes every descriptor (the start
 * connection among them: the runtime learns of the exec from the payload's
 * copy) and never returns. */
void hako_container_init_fork (void);
