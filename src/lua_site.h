/* lua_site.h: the site model seen from Lua. Articles, topics and people
 * are userdata over the C structs (one userdata per item, so they work as
 * table keys and compare with ==); reading a field looks at the item's
 * fields, then its template view, then its front matter; hooks on the main
 * state may write fields into the template view. The `site` table has the
 * lists, lookups and add_page(). Worker states see topics and people only
 * (articles are not resolved yet while filters run). */
#ifndef BRIEFING_LUA_SITE_H
#define BRIEFING_LUA_SITE_H

#include <lua.h>

#include "site.h"

/* [-0, +0] Registers the metatables. */
void ls_open(lua_State *L);
/* [-0, +1] Pushes the site table. main = 1 gives articles, and add_page
 * and set_data that act at once (site hooks); elsewhere they only work
 * inside a keyed step, into its outputs. */
void ls_push_site(lua_State *L, struct site *s, int main);
/* [-0, +1] The site table keyed steps receive (no articles), made once
 * per state. */
void ls_push_step_site(lua_State *L, struct site *s);
/* [-0, +0] Starts (out) or ends (NULL) a keyed step on this state: field
 * writes, pages and site data go to out instead of the site, and what the
 * step wrote leaves the items' caches when it ends. */
struct st_out;
void ls_set_step(lua_State *L, struct st_out *out);
/* The outputs of the keyed step running on this state, or NULL. */
struct st_out *ls_step_out(lua_State *L);
/* [-0, +0] Makes the steps' site.topics and site.people lists again on
 * their next read (entities made since included). */
void ls_set_entity_lists(lua_State *L, struct site *s);
/* [-0, +0] Forgets the userdata of an article, entity or view that is
 * about to be freed (its address may be used again). */
void ls_forget(lua_State *L, const void *p);
/* [-0, +0] Forgets every field value items keep (the site changed since
 * they were read). */
void ls_drop_caches(lua_State *L, const struct site *s);
/* [-0, +0] Lets the items' caches go and collects every garbage: after a
 * large update, so that what the steps read does not stay to the end. */
void ls_trim(lua_State *L);
/* [-0, +1] The (writable) userdata of an article, for site hooks. */
void ls_push_article(lua_State *L, struct article *a);
/* [-0, +1] A template value, references to views as their userdata. */
void ls_push_data(lua_State *L, const struct value *v);
/* [-0, +1] Pushes the article table a filter receives (fields + meta). */
void ls_push_article_arg(lua_State *L, const struct article *a);
/* [-0, +0] Gives the table at the top of the stack (which must have no
 * metatable) a field `name` made on its first read by make(L, ud), which
 * pushes one value; the value is then kept in the table. For fields most
 * hooks never read. */
typedef void (*ls_make_fn)(lua_State *L, const void *ud);
void ls_set_lazy(lua_State *L, const char *name, ls_make_fn make, const void *ud);

#endif
