/* lua_match.h: briefing.matcher(names), a word-boundary name finder for
 * filters that link mentions (people, organisations, places). The policy
 * (which mention to link, ambiguity) stays in Lua; this only finds. */
#ifndef BRIEFING_LUA_MATCH_H
#define BRIEFING_LUA_MATCH_H

#include <lua.h>

/* [-0, +0] Adds `matcher` to the table at the top of the stack. */
void lm_open(lua_State *L);

#endif
