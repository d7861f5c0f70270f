# a NUL byte in the body: the page is built, the NUL becomes U+FFFD
printf -- '---\ntitle: "Nul"\ndate: 2017-10-01\n---\nab\000cd\n' > site/content/articles/nul.md
