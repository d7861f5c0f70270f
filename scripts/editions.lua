-- editions.lua: groups published articles into daily editions (by the day
-- written in each article's date), links each article to its edition and
-- its neighbours in it, and makes the home page, the edition archive and
-- one page per edition. Uses only the public site API (briefing-lua(7)).

local options = ... or {}
local paginate = require("lib.paginate")
local recent = options.recent or 7   -- previous editions listed on the home page
local emails = options.email ~= false -- email.html and email.txt per edition

local function summary(e)
  return { title = e.title, url = e.url, day = e.day, date_display = e.date_display,
           date_iso = e.date_iso, count = e.count }
end

local function link(x)
  return x and { title = x.title, url = x.url } or nil
end

return {
  collections = function(site)
    local editions, by_day = {}, {}
    for _, a in ipairs(site.articles) do -- newest first
      local e = by_day[a.day]
      if not e then
        local d = briefing.date(a.day)
        e = { day = a.day, articles = {}, date_display = d.display, date_iso = a.day,
              title = d.display, url = "editions/" .. a.day .. "/" }
        by_day[a.day] = e
        editions[#editions + 1] = e
      end
      e.articles[#e.articles + 1] = a
    end

    -- later scripts find the editions here (newest first)
    site.collections.editions = editions
    site.editions = editions

    local archive = {}
    for i, e in ipairs(editions) do
      e.count = #e.articles
      e.next, e.prev = link(editions[i - 1]), link(editions[i + 1])
      for j, a in ipairs(e.articles) do
        a.edition = { title = e.title, url = e.url, day = e.day }
        a.prev = link(e.articles[j - 1])
        a.next = link(e.articles[j + 1])
      end
      archive[i] = summary(e)
      if emails then
        e.email_url, e.text_url = e.url .. "email.html", e.url .. "email.txt"
        -- the edition as an email: inline styles, absolute links, and text
        site:add_page{ url = e.url .. "email.html", template = "email-html", kind = "email",
                       title = site.title .. ": " .. e.title, data = { edition = e } }
        site:add_page{ url = e.url .. "email.txt", template = "email-txt", kind = "email",
                       title = site.title .. ": " .. e.title, data = { edition = e } }
      end
      site:add_page{ url = e.url, template = "edition", kind = "edition",
                     title = "Edition of " .. e.title, data = { edition = e } }
    end

    local previous = {}
    for i = 2, math.min(#editions, recent + 1) do
      previous[#previous + 1] = archive[i]
    end
    site:add_page{ url = "", template = "home", kind = "home", title = site.title,
                   data = { edition = editions[1], editions = previous } }
    paginate.pages("editions/", archive, paginate.size(site), function(url, slice, pager, n)
      site:add_page{ url = url, template = "editions", kind = "editions",
                     title = n == 1 and "Editions" or ("Editions (page " .. n .. ")"),
                     data = { editions = slice, pager = pager } }
    end)
  end,
}
