/* lua_value.h: value trees to Lua values and back.
 * value -> Lua: maps become tables, lists become arrays (1-based), a
 * reference becomes whatever its target becomes. Lua -> value: arrays
 * (keys 1..n) become lists, other tables maps (keys must be strings or
 * numbers), and userdata that know their template view (articles, topics,
 * people) become weak references to that view, so pages share them. */
#ifndef BRIEFING_LUA_VALUE_H
#define BRIEFING_LUA_VALUE_H

#include <lua.h>

#include "value.h"

/* A metatable field of this name holding a light userdata that is a
 * function pointer `const struct value *(*)(lua_State *, int)` (it must
 * not raise errors) makes a userdata convertible to a reference. */
#define LV_VIEW_FIELD "__briefing_view"
typedef const struct value *(*lv_view_fn)(lua_State *L, int idx);

void lv_push(lua_State *L, const struct value *v);

/* Lua functions become template lambdas only in states that register a
 * maker under this registry key (a light userdata holding an lv_lambda_fn):
 * the maker wraps the function at idx in a VAL_FUNC. Elsewhere a function
 * is an error. The maker must not raise errors. */
#define LV_LAMBDA_KEY "briefing.lambda_maker"
typedef struct value *(*lv_lambda_fn)(lua_State *L, int idx);
/* And back: pushes the Lua function of a lambda made in this state and
 * returns 1, or returns 0 (then nil is pushed). */
#define LV_LAMBDA_PUSH_KEY "briefing.lambda_push"
typedef int (*lv_lambda_push_fn)(lua_State *L, const struct val_func *fn);
/* Like lv_push, but a reference whose target ref() pushes a value for
 * (returning 1) is pushed that way: views become their userdata again. */
typedef int (*lv_ref_fn)(lua_State *L, const struct value *target);
void lv_push_refs(lua_State *L, const struct value *v, lv_ref_fn ref);
/* Converts the Lua value at idx. On failure raises a Lua error naming
 * `what` (e.g. "page data") and the offending key path. */
struct value *lv_to_value(lua_State *L, int idx, const char *what);
/* Would lv_to_value(idx) give a tree equal to v (same types, keys in any
 * order, numbers, strings)? Allocates nothing and raises no errors; says
 * no to anything it is unsure of (userdata, functions, number keys). */
int lv_same(lua_State *L, int idx, const struct value *v);

#endif
