# Helpers shared by the reference generators (surveillance-reference.R,
# surveillance-farrington.R), which source this file: loading data sets,
# parsing parameters, and writing reference files and the manifest in the
# layout of tests/conformance/README.md. write_reference() reads `out_dir`
# and adds to `manifest`, both set by the sourcing script.

# A weekly count series shipped with surveillance: one column when asked,
# otherwise the national total (the sum of the regions).
load_counts <- function(name, column = NULL) {
  e <- new.env()
  data(list = name, package = "surveillance", envir = e)
  obj <- get(name, envir = e)
  counts <- if (inherits(obj, "sts")) observed(obj) else if (inherits(obj, "disProg")) obj$observed else obj$case
  counts <- as.matrix(counts)
  as.numeric(if (!is.null(column)) counts[, column] else rowSums(counts))
}

num <- function(x) ifelse(is.na(x), "", sprintf("%.15g", x))
week_label <- function(n) format(as.Date("2000-01-03") + 7 * (seq_len(n) - 1), "%G-W%V")

manifest <- data.frame(method = character(), dataset = character(), params = character(),
                       range = character(), freq = integer(), file = character())

write_reference <- function(method, dataset, params, range, values, expected, upperbound, alarm,
                            tag = "") {
  n <- length(values)
  full <- function(x) { y <- rep(NA_real_, n); y[range] <- x; y }
  alarm_full <- rep(NA, n); alarm_full[range] <- as.logical(alarm)
  suffix <- paste0(if (params == "") "" else paste0("__", gsub("[=;/]", "_", gsub("\\.", "p", params))),
                   tag)
  file <- file.path(method, paste0(dataset, suffix, ".csv"))
  dir.create(file.path(out_dir, method), showWarnings = FALSE, recursive = TRUE)
  in_range <- seq_len(n) %in% range
  table <- data.frame(time = week_label(n), value = num(values),
                      observed = ifelse(in_range, num(values), ""),
                      expected = num(full(expected)), upperbound = num(full(upperbound)),
                      alarm = ifelse(in_range & !is.na(alarm_full), as.integer(alarm_full), ""))
  write.csv(table, file.path(out_dir, file), row.names = FALSE, quote = FALSE)
  manifest[nrow(manifest) + 1, ] <<- list(method, dataset, params,
                                          sprintf("%d:%d", min(range), max(range)), 52L, file)
}

# "name=value;name=value" as a control list: numbers, TRUE/FALSE, or strings.
parse_params <- function(params) {
  if (params == "") return(list())
  pairs <- strsplit(strsplit(params, ";")[[1]], "=")
  values <- lapply(pairs, function(p) {
    if (p[2] %in% c("TRUE", "FALSE")) return(as.logical(p[2]))
    v <- suppressWarnings(as.numeric(p[2]))
    if (is.na(v)) p[2] else v
  })
  setNames(values, vapply(pairs, `[`, "", 1))
}

# Replaces the manifest rows of `methods_here` in OUT_DIR/MANIFEST.csv with
# this run's, keeping the other generator's rows.
write_manifest <- function(out_dir, manifest, methods_here) {
  manifest_path <- file.path(out_dir, "MANIFEST.csv")
  if (file.exists(manifest_path)) {
    others <- read.csv(manifest_path, colClasses = "character", na.strings = character())
    others <- others[!(others$method %in% methods_here), ]
    manifest <- rbind(others, manifest)
  }
  write.csv(manifest, manifest_path, row.names = FALSE, quote = FALSE)
  cat(sprintf("wrote %d reference files under %s\n", sum(manifest$method %in% methods_here), out_dir))
}
