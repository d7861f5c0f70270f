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
void *lm_get(lua_State *L, int idx);
/* Does text hold any of the matcher's names? The matches of the last text
 * that had some are kept, so the filter's own matcher:scan of the same
 * text (the usual next step) does not scan it again. */
int lm_test(void *matcher, const char *text, size_t len);

/* The same finder for C (briefing check): names are added one by one;
 * lm_next returns the length of the next name at or after *pos (0 at the
 * end), sets *start to where it begins and moves *pos past it. */
struct matcher;
struct matcher *lm_new(void);
void lm_add(struct matcher *m, const char *name);
void lm_free(struct matcher *m);
size_t lm_next(const struct matcher *m, const char *text, size_t len, size_t *pos,
               size_t *start);

#endif
