/* images.h: the images of a brief's body: width and height read from the
 * files beside the brief, loading="lazy" below the fold, and the files
 * copied next to the brief's page. Reading sizes is imgsize.c's. */
#ifndef BRIEFING_IMAGES_H
#define BRIEFING_IMAGES_H

#include "buf.h"
#include "diag.h"
#include "output.h"
#include "site.h"

/* The folder that holds a brief's images: its path without ".md"
 * ("content/articles/2017/x.md" -> "content/articles/2017/x"), or for a
 * bundle the folder of its index.md. Caller frees. */
char *img_folder(const struct article *a);

/* Rewrites the <img> tags of body HTML (as cmark writes them) into out:
 * an image whose src is a file in folder gets its width and height, and
 * every image but the first gets loading="lazy". Tags that already have
 * a width keep theirs. When s makes resized copies (s->cfg.resize), an
 * image that has some also gets srcset and sizes, the copies made in the
 * cache; one that cannot be decoded gets a warning in d and no srcset. */
void img_dress(const struct site *s, const char *html, const char *folder, buf *out,
               struct diag *d);

/* Copies the files of a's image folder (not its .md files, not
 * sub-folders) beside a's page in the output, with their resized copies
 * ("chart-480w.png") when s makes them. Returns 1 when it did, 0
 * when a has no such folder (or the last listing of content/articles,
 * s->folders, saw none), or -1 after reporting. */
int img_copy(const struct site *s, const struct article *a, struct output *o, struct diag *d);

/* The view of a brief's lead image (front matter image, image_alt,
 * image_caption, image_credit): url (site-relative, for a file of the
 * brief's folder) or external, permalink (absolute with base_url), alt,
 * caption, credit, and for a file width, height, length (bytes) and type,
 * and with resized copies srcset (a list of url and width) and sizes.
 * NULL without an image. */
struct value *img_lead(const struct site *s, const struct article *a);

/* Reports a lead image that is not a string or names no file of the
 * brief's folder, in a->diag, and makes its resized copies (a warning
 * when it cannot be decoded). Returns 0 or -1. */
int img_check_lead(const struct site *s, const struct article *a);

#endif
