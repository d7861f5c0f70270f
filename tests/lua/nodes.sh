# Lua: every node type as filters see it: its type name and fields, read
# from a real article with one of each, and field writes showing up in
# the HTML.
. tests/lib.sh

new_site "$TMP/s"
s="$TMP/s"
mkdir -p "$s/scripts" "$s/templates"
printf 'title: "T"\nunsafe: true\nfilters: [nodes.lua]\n' > "$s/site.yml"
cat > "$s/content/articles/first.md" <<'MD'
---
title: "All nodes"
date: 2017-09-30
---
## Heading *emph* **strong**

A [link](https://example.org/ "T") and ![img](pic.png "P") and `code`
soft break and hard  
break <span>inline</span>.

> quote

3. three
4. four

- a
- b

```lua
print(1)
```

<div>block</div>

---
MD
cat > "$s/scripts/nodes.lua" <<'LUA'
local seen
local function field(n, k) local v = n[k]; return v == nil and "-" or tostring(v) end
local function rec(n)
  local parts = { n.t }
  for _, k in ipairs({ "level", "url", "title", "literal", "info", "list_type", "start", "tight", "delim" }) do
    if n[k] ~= nil then parts[#parts + 1] = k .. "=" .. field(n, k):gsub("\n", "\\n") end
  end
  seen[#seen + 1] = table.concat(parts, " ")
end
local f = { traverse = "topdown" }
for _, t in ipairs({ "BlockQuote", "List", "Item", "CodeBlock", "HtmlBlock", "Paragraph",
                     "Heading", "ThematicBreak", "Text", "SoftBreak", "LineBreak", "Code",
                     "HtmlInline", "Emph", "Strong", "Link", "Image" }) do
  f[t] = rec
end
f.Document = function(doc) seen = {} end
f.Heading = function(h) rec(h); h.level = 3 end
f.Link = function(l) rec(l); l.url = "https://example.com/" end
f.CodeBlock = function(c) rec(c); c.info = "python" end
return { f, { Document = function(doc, article) article.meta.report = table.concat(seen, "\n") end } }
LUA
printf '{{article.params.report}}\n---\n{{{article.content}}}\n' > "$s/templates/article.mustache"
run_briefing build -s "$s" -q
expect_status "site with a node-inspecting filter builds" 0
out="$s/public/articles/first/index.html"
for want in "Heading level=2" "Emph" "Strong" "Paragraph" \
	"Link url=https://example.org/ title=T" "Image url=pic.png title=P" \
	"Code literal=code" "SoftBreak" "LineBreak" "HtmlInline literal=&lt;span&gt;" \
	"BlockQuote" "List list_type=ordered start=3 tight=true delim=period" \
	"List list_type=bullet" "Item" "CodeBlock literal=print(1)" "info=lua" \
	"HtmlBlock literal=&lt;div&gt;block&lt;/div&gt;" "ThematicBreak" "Text literal=quote"; do
	check "filter sees: $want" grep -qF -- "$want" "$out"
done
check "heading level written back" grep -q "<h3>Heading" "$out"
check "link url written back" grep -q 'href="https://example.com/"' "$out"
check "code info written back" grep -q 'class="language-python"' "$out"
# the article argument: every field a filter may read, made on first read
cat > "$s/scripts/fields.lua" <<'LUA'
return {
  { Document = function(doc, a)
      a.meta.report = table.concat({ a.title, a.slug, a.url, a.path, a.date, a.day,
        tostring(a.line_offset), tostring(a.meta_lines.date), tostring(a.nothing) }, "|")
      a.slug = "changed"
    end },
  { Document = function(doc, a) a.meta.second = a.slug end },
}
LUA
printf 'title: "T"\nfilters: [fields.lua]\n' > "$s/site.yml"
printf '{{article.params.report}} {{article.params.second}}\n' > "$s/templates/article.mustache"
run_briefing build -s "$s" -q
expect_status "a filter reading the article's fields builds" 0
check "title, slug, url, path, date, day, line_offset, meta_lines" grep -qx \
	"All nodes|first|articles/first/|.*/content/articles/first.md|2017-09-30T00:00:00Z|2017-09-30|4|3|nil changed" \
	"$out"
finish
