# the email edition carries whole briefs, so that their bodies are checked too
printf 'email: {content: full}\n' >> site/site.yml
