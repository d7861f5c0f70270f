/* lua_match.h: briefing.matcher(names), the Lua binding of the name finder
 * in match.h, for filters that link mentions (people, organisations,
 * places). The policy (which mention to link, ambiguity) stays in Lua;
 * this only finds. A matcher also serves as a filter's `when` test: its
 * metatable carries the walk's LN_WHEN field (lua_node.h). */
#ifndef BRIEFING_LUA_MATCH_H
#define BRIEFING_LUA_MATCH_H

#include <lua.h>

/* [-0, +0] Adds `matcher` to the table at the top of the stack. */
void lm_open(lua_State *L);

#endif
