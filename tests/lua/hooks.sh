# Lua: every site hook, in order, with what it may change: site_loaded,
# article (per article, may set fields), collections (pages),
# before_render (title, template, data), after_render (the HTML).
. tests/lib.sh

new_site "$TMP/s"
s="$TMP/s"
mkdir -p "$s/scripts" "$s/templates"
printf -- '---\ntitle: "Second"\ndate: 2017-10-01\n---\nMore.\n' > "$s/content/articles/second.md"
printf 'title: "T"\nfilters: [order.lua]\n' > "$s/site.yml"
cat > "$s/scripts/order.lua" <<'LUA'
local log = {}
return {
  site_loaded = function(site) log[#log + 1] = "site_loaded:" .. #site.articles end,
  article = function(a, site)
    log[#log + 1] = "article:" .. a.slug
    a.shout = a.title:upper()
  end,
  collections = function(site)
    log[#log + 1] = "collections"
    site:add_page{ url = "log/", template = "log", title = "Log", data = { log = log } }
    site:add_page{ url = "swap/", template = "log", title = "Before", data = { log = {} } }
  end,
  before_render = function(page, site)
    if page.url == "swap/" then
      page.title = "After"
      page.template = "other"
      page.data.extra = "from before_render"
    end
  end,
  after_render = function(page, html, site)
    if page.kind == "article" then return html .. "<!-- stamped -->" end
  end,
}
LUA
cat > "$s/scripts/later.lua" <<'LUA'
return { collections = function(site)
  local e = site.collections.editions -- summaries, in key order: oldest first
  local latest = site:object("edition", e[#e].day)
  site:add_page{ url = "later/", template = "log",
                 data = { log = { #e, e[1].day, e[2].day, latest.count, latest.prev.url } } }
end }
LUA
printf '{{#log}}{{.}};{{/log}}\n' > "$s/templates/log.mustache"
printf '{{page.title}}|{{extra}}\n' > "$s/templates/other.mustache"
printf '{{article.shout}}\n' > "$s/templates/article.mustache"
run_briefing build -s "$s" -q
expect_status "site with every hook builds" 0
printf 'title: "T"\nfilters: [editions.lua, later.lua]\n' > "$s/site.yml"
run_briefing build -s "$s" -q -o "$TMP/o2"
expect_status "a later script reads the editions collection" 0
check "editions shared through site.collections and site:object" \
	grep -qx "2;2017-09-30;2017-10-01;1;editions/2017-09-30/;" "$TMP/o2/later/index.html"
# before_render on a keyed step's page: its data (held packed until then)
# reads back whole, and what the hook changes is rendered
cat > "$s/scripts/peek.lua" <<'LUA'
return { before_render = function(page)
  if page.kind == "edition" then
    page.template = "other"
    page.data.extra = "[" .. page.data.edition.url .. "] " .. #page.data.articles .. " "
      .. page.data.articles[1].title
  end
end }
LUA
printf 'title: "T"\nfilters: [editions.lua, peek.lua]\n' > "$s/site.yml"
run_briefing build -s "$s" -q -o "$TMP/o3"
expect_status "before_render with a keyed step's pages builds" 0
check "before_render reads a keyed step's page data" \
	grep -qx "Edition of .*|\[editions/2017-10-01/\] 1 Second" "$TMP/o3/editions/2017-10-01/index.html"
printf 'title: "T"\nfilters: [order.lua]\n' > "$s/site.yml"
run_briefing build -s "$s" -q
check "hooks run in order, article() newest first" \
	grep -qx "site_loaded:2;article:second;article:first;collections;" "$s/public/log/index.html"
check "article() fields reach templates" grep -q "^SECOND$" "$s/public/articles/second/index.html"
check "before_render changes title, template and data" \
	grep -qx "After|from before_render" "$s/public/swap/index.html"
check "after_render replaces the HTML" grep -q "<!-- stamped -->" "$s/public/articles/first/index.html"
check "after_render leaves other pages alone" sh -c "! grep -q stamped '$s/public/log/index.html'"

cat > "$s/scripts/order.lua" <<'LUA'
return {
  after_render = function(page, html) return 42 end,
}
LUA
run_briefing build -s "$s"
expect_status "bad after_render result fails" 1
expect_stderr "bad after_render result explained" "after_render must return nil or the new HTML, found number"
expect_stderr "names the page" 'while running after_render() for page "'
check "previous output untouched" grep -q "<!-- stamped -->" "$s/public/articles/first/index.html"
finish
