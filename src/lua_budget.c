/* lua_budget.c: see lua_budget.h. One watchdog thread for the process,
 * started with the first watched state; the list of slots and every
 * pthread_kill are under one lock, which budget_end also takes, so a signal is
 * only ever sent to a thread that is still inside a call. A signal that
 * lands after its call ended arms the hook for the next call on that
 * thread, which only makes that call counted from earlier. */
#include "lua_budget.h"

#include <time.h>

#define TICK_MS 20

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct budget_slot *slots;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int arm_signal;
static _Thread_local struct budget_slot *volatile running; /* this thread's call */

static long long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void on_signal(int sig)
{
	(void)sig;
	struct budget_slot *s = running;
	if (s && !s->armed) {
		s->armed = 1;
		lua_sethook(s->L, s->hook, LUA_MASKCOUNT, s->step);
	}
}

static void *watchdog(void *arg)
{
	(void)arg;
	const struct timespec tick = {0, TICK_MS * 1000000L};
	for (;;) {
		nanosleep(&tick, NULL);
		pthread_mutex_lock(&lock);
		long long now = now_ns();
		for (struct budget_slot *s = slots; s; s = s->next) {
			long long started = atomic_load(&s->started);
			unsigned serial = atomic_load(&s->serial);
			if (started && now - started > BUDGET_GRACE_MS * 1000000LL &&
			    s->signalled != serial) {
				s->signalled = serial;
				pthread_kill(s->thread, arm_signal);
			}
		}
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void start(void)
{
	arm_signal = SIGRTMIN + 2;
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(arm_signal, &sa, NULL);
	/* the watchdog itself never takes the signal */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_t t;
	if (pthread_create(&t, NULL, watchdog, NULL) == 0)
		pthread_detach(t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void budget_register(struct budget_slot *slot, lua_State *L, lua_Hook hook, int step)
{
	pthread_once(&once, start);
	slot->L = L;
	slot->hook = hook;
	slot->step = step;
	pthread_mutex_lock(&lock);
	slot->next = slots;
	slots = slot;
	pthread_mutex_unlock(&lock);
}

void budget_unregister(struct budget_slot *slot)
{
	pthread_mutex_lock(&lock);
	for (struct budget_slot **p = &slots; *p; p = &(*p)->next)
		if (*p == slot) {
			*p = slot->next;
			break;
		}
	pthread_mutex_unlock(&lock);
}

void budget_begin(struct budget_slot *slot)
{
	slot->thread = pthread_self();
	running = slot;
	atomic_fetch_add(&slot->serial, 1);
	atomic_store(&slot->started, now_ns());
}

void budget_end(struct budget_slot *slot)
{
	pthread_mutex_lock(&lock);
	running = NULL;
	atomic_store(&slot->started, 0);
	pthread_mutex_unlock(&lock);
	if (slot->armed) {
		lua_sethook(slot->L, NULL, 0, 0);
		slot->armed = 0;
	}
}
