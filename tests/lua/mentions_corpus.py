"""A generated corpus with planted person mentions and the links each
article must get (ground truth), then the score of a build against it.

    mentions_corpus.py gen SITE_DIR [--articles N] [--seed S]
    mentions_corpus.py score SITE_DIR     (after building SITE_DIR/public)

The ground truth follows the rules of mentions.lua: the first linkable
mention of each person links to their page, later ones stay plain; a
mention inside a link, a heading or code, or as part of a longer word
("Trumpet"), is not linkable; an alias two people share links only when
the article's people list names exactly one of them. Hard cases planted:
possessives, names at the start and end of sentences, in curly quotes and
emphasis, inside links/headings/code, prefixes of longer words, shared
aliases listed and unlisted. score prints precision and recall of the
person links found in the article bodies and exits 1 below 0.99 / 0.97."""
import json, os, random, re, sys

FILLER = ("the of and to in a that for on with as by at from was its has said talks "
          "plan deal report officials week ministry statement visit policy border "
          "sanctions trade envoy meeting council vote budget").split()
ONSET = "b br c d dr f g gr h j k l m n p r s st t tr v w z".split()
VOWEL = "a e i o u a e o ai ea".split()
CODA = ["", "", "n", "r", "l", "s", "th", "nd", "rk"]


def word(rng):
    return "".join(rng.choice(ONSET) + rng.choice(VOWEL) + rng.choice(CODA)
                   for _ in range(rng.randint(2, 3))).capitalize()


def filler(rng, n):
    return " ".join(rng.choice(FILLER) for _ in range(n))


def make_people(rng, n):
    people, used = [], set()
    while len(people) < n:
        first, last = word(rng), word(rng)
        if first in used or last in used or first == last:
            continue
        used.update((first, last))
        people.append({"name": "%s %s" % (first, last), "aliases": [last],
                       "slug": ("%s-%s" % (first, last)).lower()})
    # a shared alias: two people both called "Kim" for short
    people.append({"name": "Kim Jong Un", "aliases": ["Kim", "Chairman Kim"], "slug": "kim-jong-un"})
    people.append({"name": "Kim Yo Jong", "aliases": ["Kim"], "slug": "kim-yo-jong"})
    people.append({"name": "Donald Trump", "aliases": ["Trump", "President Trump"],
                   "slug": "donald-trump"})
    return people


def gen(site, n_articles, seed):
    rng = random.Random(seed)
    people = make_people(rng, 60)
    by_slug = {p["slug"]: p for p in people}
    kims = [by_slug["kim-jong-un"], by_slug["kim-yo-jong"]]
    os.makedirs(os.path.join(site, "content", "people"), exist_ok=True)
    os.makedirs(os.path.join(site, "content", "articles"), exist_ok=True)
    for p in people:
        with open(os.path.join(site, "content", "people", p["slug"] + ".md"), "w") as f:
            f.write('---\nname: "%s"\naliases: [%s]\n---\n%s.\n' % (
                p["name"], ", ".join('"%s"' % a for a in p["aliases"]), p["name"]))
    with open(os.path.join(site, "site.yml"), "w") as f:
        f.write('title: "Mentions corpus"\nfilters: [mentions.lua]\n')
    truth = {}
    ordinary = [p for p in people if p["slug"] not in ("kim-jong-un", "kim-yo-jong")]
    for i in range(n_articles):
        slug = "a%05d" % i
        listed = rng.sample(ordinary, rng.randint(0, 2))
        kim_case = rng.random()
        if kim_case < 0.3:
            listed.append(rng.choice(kims))       # "Kim" means that one
        elif kim_case < 0.4:
            listed.extend(kims)                   # both listed: still ambiguous
        state = {"listed": set(p["slug"] for p in listed), "linked": [], "done": set()}

        def mention(p, surface, linkable=True):
            """Plants one mention; records it when it must link."""
            if not linkable:
                return
            if surface == "Kim":
                cands = [k for k in kims if k["slug"] in state["listed"]]
                if len(cands) != 1:
                    return
                p = cands[0]
            if p["slug"] in state["done"]:
                return
            state["done"].add(p["slug"])
            state["listed"].add(p["slug"])
            state["linked"].append([p["slug"], surface])

        paras = []
        cast = rng.sample(ordinary, rng.randint(2, 5)) + listed
        rng.shuffle(cast)
        for _ in range(rng.randint(4, 9)):
            p = rng.choice(cast)
            use_alias = rng.random() < 0.45
            surface = p["aliases"][0] if use_alias else p["name"]
            if p in kims and use_alias:
                surface = "Kim"
            case = rng.randrange(12)
            if case == 0:    # sentence start
                paras.append("%s %s." % (surface, filler(rng, 8))); mention(p, surface)
            elif case == 1:  # sentence end
                paras.append("%s %s." % (filler(rng, 8).capitalize(), surface)); mention(p, surface)
            elif case == 2:  # possessive
                paras.append("%s %s's %s." % (filler(rng, 4).capitalize(), surface, filler(rng, 5)))
                mention(p, surface)
            elif case == 3:  # curly quotes and a comma
                paras.append("%s \u201c%s,\u201d %s." % (filler(rng, 3).capitalize(), surface, filler(rng, 4)))
                mention(p, surface)
            elif case == 4:  # emphasis links too
                paras.append("%s *%s* %s." % (filler(rng, 3).capitalize(), surface, filler(rng, 4)))
                mention(p, surface)
            elif case == 5:  # inside a link: never
                paras.append("%s [%s](https://example.org/%s) %s." % (
                    filler(rng, 3).capitalize(), surface, slug, filler(rng, 3)))
                mention(p, surface, False)
            elif case == 6:  # in a heading: never
                paras.append("## About %s\n\n%s." % (surface, filler(rng, 6).capitalize()))
                mention(p, surface, False)
            elif case == 7:  # in code: never
                paras.append("%s `%s` %s." % (filler(rng, 3).capitalize(), surface, filler(rng, 3)))
                mention(p, surface, False)
            elif case == 8:  # part of a longer word: never ("Trumpet")
                paras.append("%s %set and %s-like %s." % (filler(rng, 3).capitalize(), surface.split()[-1],
                                                      filler(rng, 1), filler(rng, 3)))
                mention(p, surface, False)
            elif case == 9:  # a title before the alias
                if p["slug"] == "donald-trump":
                    surface = "President Trump"
                paras.append("%s, %s %s." % (filler(rng, 4).capitalize(), surface, filler(rng, 4)))
                mention(p, surface)
            elif case == 10:  # two in a row, in a list item
                q = rng.choice(cast)
                qs = q["name"]
                paras.append("- %s and %s %s." % (surface, qs, filler(rng, 4)))
                mention(p, surface); mention(q, qs)
            else:             # in parentheses, mid-sentence
                paras.append("%s (%s) %s." % (filler(rng, 5).capitalize(), surface, filler(rng, 5)))
                mention(p, surface)
        d = "2017-%02d-%02d" % (1 + i % 12, 1 + i % 28)
        with open(os.path.join(site, "content", "articles", slug + ".md"), "w") as f:
            f.write('---\ntitle: "Article %d"\ndate: %s\npeople: [%s]\n---\n\n%s\n' % (
                i, d, ", ".join('"%s"' % p["name"] for p in listed), "\n\n".join(paras)))
        truth[slug] = state["linked"]
    with open(os.path.join(site, "truth.json"), "w") as f:
        json.dump(truth, f)


LINK = re.compile(r'<a href="(?:\.\./)+people/([^/"]+)/" title="[^"]*">([^<]*)</a>')


def score(site):
    truth = json.load(open(os.path.join(site, "truth.json")))
    want = got = hit = 0
    for slug, expected in truth.items():
        html = open(os.path.join(site, "public", "articles", slug, "index.html"), encoding="utf-8").read()
        body = html.split('class="story-body">', 1)[1].split("</div>", 1)[0]
        found = [[s, t] for s, t in LINK.findall(body)]
        want += len(expected)
        got += len(found)
        rest = list(found)
        for e in expected:
            if e in rest:
                rest.remove(e)
                hit += 1
        if rest or len(found) != len(expected):
            if os.environ.get("VERBOSE"):
                print("# %s: expected %s, found %s" % (slug, expected, found))
    precision = hit / got if got else 1.0
    recall = hit / want if want else 1.0
    print("# person links: %d expected, %d found, %d right: precision %.4f, recall %.4f"
          % (want, got, hit, precision, recall))
    return 0 if precision >= 0.99 and recall >= 0.97 else 1


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        args = sys.argv[3:]
        n = int(args[args.index("--articles") + 1]) if "--articles" in args else 500
        seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 7
        gen(sys.argv[2], n, seed)
    else:
        sys.exit(score(sys.argv[2]))
