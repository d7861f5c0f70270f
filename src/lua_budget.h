/* lua_budget.h: an instruction budget for Lua calls that short calls do not
 * pay for. Lua counts instructions through a debug hook that makes the
 * interpreter stop at every instruction (a third more work for a typical
 * filter), so a watched state runs without it; a watchdog thread looks at
 * the calls in progress every few milliseconds, and one that has run for
 * BUDGET_GRACE_MS gets the counting hook from then on, set by a signal
 * handler on the call's own thread (lua_sethook is safe there). A runaway
 * call is stopped after its budget plus at most the grace period. */
#ifndef BRIEFING_LUA_BUDGET_H
#define BRIEFING_LUA_BUDGET_H

#include <lua.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>

#define BUDGET_GRACE_MS 100

struct budget_slot {
	lua_State *L;
	lua_Hook hook;                 /* set with LUA_MASKCOUNT every `step` */
	int step;
	pthread_t thread;              /* running the current call */
	atomic_llong started;          /* monotonic ns when it began, 0: no call */
	atomic_uint serial;            /* calls begun */
	unsigned signalled;            /* the serial the watchdog last signalled */
	volatile sig_atomic_t armed;   /* the hook is set for this call */
	struct budget_slot *next;
};

/* Watches slot (zeroed by the caller) for state L from now on. */
void budget_register(struct budget_slot *slot, lua_State *L, lua_Hook hook, int step);
/* Stops watching; the slot may be freed after this returns. */
void budget_unregister(struct budget_slot *slot);
/* Around every protected call into the state, on the calling thread. */
void budget_begin(struct budget_slot *slot);
void budget_end(struct budget_slot *slot);

#endif
