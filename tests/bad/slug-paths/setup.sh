# slugs and file names that would leave articles/: "../", absolute paths,
# "\0", dot segments spelt with %2e, a backslash
a=site/content/articles
w() { printf -- '---\ntitle: "T"\ndate: 2017-10-01\n%b---\nBody\n' "$2" > "$a/$1"; }
w up.md 'slug: "../../../sentinel/x"\n'
w abs.md 'slug: "/etc/passwd"\n'
w dotdot.md 'slug: ".."\n'
w nul.md 'slug: "x\\0/../y"\n'
w encoded.md 'slug: "%2e%2E"\n'
w back.md 'slug: "..\\\\..\\\\x"\n'
w '%2e%2e.md' ''
w 'a\b.md' ''
mkdir -p "$a/%2e%2e"
w '%2e%2e/inner.md' ''
