/* lua_match.h: briefing.matcher(names), a word-boundary name finder for
 * filters that link mentions (people, organisations, places). The policy
 * (which mention to link, ambiguity) stays in Lua; this only finds. */
#ifndef BRIEFING_LUA_MATCH_H
#define BRIEFING_LUA_MATCH_H

#include <lua.h>

/* [-0, +0] Adds `matcher` to the table at the top of the stack. */
void lm_open(lua_State *L);

#include <stddef.h>

/* The matcher at idx, or NULL when it is not one (for the node walk). */
const void *lm_get(lua_State *L, int idx);
/* Does text hold any of the matcher's names? */
int lm_test(const void *matcher, const char *text, size_t len);

#endif
