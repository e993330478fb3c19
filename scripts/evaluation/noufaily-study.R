# The public-health simulation study of docs/EVALUATION.md, in the design of
# Noufaily et al. (2013): every series of a `vigil simulate --scenario
# noufaily` workspace is judged on its last 49 weeks (576-624) by Vigil's
# detectors (`vigil detect`) and by the same methods of R's `surveillance`,
# and both are scored against the workspace's labels in the same way:
#   POD: the share of current outbreaks (labels with period=current) with at
#        least one alarm during their weeks;
#   FPR: the share of evaluated weeks outside every labelled outbreak that
#        raised an alarm.
# A week a method could not judge counts as no alarm.
#
#   Rscript scripts/evaluation/noufaily-study.R WORKSPACE VIGIL OUT_DIR
# writes OUT_DIR/noufaily-study.csv (one row per scenario, method and
# implementation) and prints the tables of docs/EVALUATION.md.
suppressPackageStartupMessages({
  library(surveillance)
  library(parallel)
})

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3) stop("usage: noufaily-study.R WORKSPACE VIGIL OUT_DIR")
workspace <- args[1]
vigil <- args[2]
out_dir <- args[3]
range <- 576:624

# The methods compared: Vigil's name and parameters, and the R call on the
# same control list (Vigil's parameters follow surveillance's names).
flexible <- list(b = 5, w = 3, weightsThreshold = 2.58, noPeriods = 10,
                 pastWeeksNotIncluded = 26, thresholdMethod = "nbPlugin")
methods <- list(
  "farrington-flexible" = list(params = flexible, r = function(s, control) {
    alarms(suppressWarnings(farringtonFlexible(s, control = control)))[, 1]
  }),
  "farrington" = list(params = list(b = 5, w = 3), r = function(s, control) {
    # algo.farrington reports a fit without trend by warning() and by print.
    invisible(capture.output(res <- suppressWarnings(algo.farrington(sts2disProg(s), control = control))))
    res$alarm
  }),
  "ears-c1" = list(params = list(baseline = 7), r = function(s, control) {
    alarms(earsC(s, control = c(control, method = "C1")))[, 1]
  }),
  "ears-c2" = list(params = list(baseline = 7), r = function(s, control) {
    alarms(earsC(s, control = c(control, method = "C2")))[, 1]
  }),
  "ears-c3" = list(params = list(baseline = 7), r = function(s, control) {
    alarms(earsC(s, control = c(control, method = "C3")))[, 1]
  })
)

data <- read.csv(file.path(workspace, "data", "noufaily.csv"), colClasses = "character")
data$value <- as.numeric(data$value)
labels <- read.csv(file.path(workspace, "labels.csv"), colClasses = "character")
keys <- unique(data[, c("indicator", "region")])
scratch <- tempfile("noufaily-")
dir.create(scratch)

vigil_alarms <- function(series_csv, method) {
  params <- methods[[method]]$params
  out <- tempfile(tmpdir = scratch, fileext = ".csv")
  flags <- c("detect", "--method", method, "--range", sprintf("%d:%d", min(range), max(range)),
             "--input", series_csv, "--output", out,
             as.vector(rbind("--param", paste0(names(params), "=", unlist(params)))))
  status <- system2(vigil, flags, stdout = FALSE, stderr = FALSE)
  if (status != 0) stop(sprintf("vigil detect --method %s on %s failed (exit %d)", method, series_csv, status))
  result <- read.csv(out, colClasses = "character")
  unlink(out)
  result$alarm == "1"
}

r_alarms <- function(values, method) {
  s <- sts(observed = matrix(values, ncol = 1), frequency = 52, start = c(2000, 1))
  alarm <- methods[[method]]$r(s, c(methods[[method]]$params, list(range = range)))
  !is.na(alarm) & as.logical(alarm)
}

# One series: its alarms in `range` by method and implementation, scored.
judge_series <- function(i) {
  key <- keys[i, ]
  rows <- data[data$indicator == key$indicator & data$region == key$region, ]
  series_csv <- file.path(scratch, sprintf("series-%d.csv", i))
  write.csv(data.frame(time = rows$time, value = rows$value), series_csv, row.names = FALSE,
            quote = FALSE)
  own <- labels[labels$indicator == key$indicator & labels$region == key$region, ]
  in_outbreak <- rep(FALSE, length(range))
  current <- list()
  for (j in seq_len(nrow(own))) {
    weeks <- match(own$start[j], rows$time):match(own$end[j], rows$time)
    in_outbreak <- in_outbreak | range %in% weeks
    if (grepl("period=current", own$detail[j])) current[[length(current) + 1]] <- weeks
  }
  scored <- NULL
  for (method in names(methods)) {
    for (implementation in c("vigil", "R")) {
      alarm <- if (implementation == "vigil") vigil_alarms(series_csv, method)
               else r_alarms(rows$value, method)
      detected <- sum(vapply(current, function(w) any(alarm[range %in% w]), FALSE))
      scored <- rbind(scored, data.frame(
        scenario = key$indicator, region = key$region, method = method, implementation = implementation,
        outbreaks = length(current), detected = detected,
        quiet_weeks = sum(!in_outbreak), false_alarms = sum(alarm & !in_outbreak),
        alarm_weeks = paste(which(alarm), collapse = " ")))
    }
  }
  unlink(series_csv)
  scored
}

results <- do.call(rbind, mclapply(seq_len(nrow(keys)), judge_series, mc.cores = 2))

# Agreement: the share of evaluated weeks on which Vigil and R gave the same
# verdict, per scenario and method.
agreement <- function(a, b) {
  weeks <- function(text) as.integer(strsplit(text, " ")[[1]])
  mapply(function(x, y) 1 - length(union(setdiff(weeks(x), weeks(y)), setdiff(weeks(y), weeks(x)))) /
           length(range), a, b)
}
pair <- merge(results[results$implementation == "vigil", ], results[results$implementation == "R", ],
              by = c("scenario", "region", "method", "outbreaks", "quiet_weeks"),
              suffixes = c("", "_r"))
pair$agreement <- agreement(pair$alarm_weeks, pair$alarm_weeks_r)

summarise <- function(rows, by) {
  sums <- aggregate(cbind(outbreaks, detected, quiet_weeks, false_alarms, detected_r,
                          false_alarms_r, agreement) ~ ., data = rows[, c(by, "outbreaks", "detected",
                          "quiet_weeks", "false_alarms", "detected_r", "false_alarms_r", "agreement")],
                    FUN = sum)
  counts <- aggregate(agreement ~ ., data = rows[, c(by, "agreement")], FUN = length)
  data.frame(sums[, by, drop = FALSE],
             series = counts$agreement,
             pod_vigil = sums$detected / sums$outbreaks, pod_r = sums$detected_r / sums$outbreaks,
             fpr_vigil = sums$false_alarms / sums$quiet_weeks,
             fpr_r = sums$false_alarms_r / sums$quiet_weeks,
             agreement = sums$agreement / counts$agreement)
}

by_scenario <- summarise(pair, c("scenario", "method"))
by_scenario <- by_scenario[order(by_scenario$method, by_scenario$scenario), ]
overall <- summarise(pair, "method")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
write.csv(by_scenario, file.path(out_dir, "noufaily-study.csv"), row.names = FALSE, quote = FALSE)

pct <- function(x) sprintf("%.1f%%", 100 * x)
cat(sprintf("%d series (%d scenarios x %d replicates), weeks %d-%d\n\n", nrow(keys),
            length(unique(keys$indicator)), nrow(keys) / length(unique(keys$indicator)),
            min(range), max(range)))
cat("| method | POD Vigil | POD R | FPR Vigil | FPR R | same verdict |\n|---|---:|---:|---:|---:|---:|\n")
for (i in seq_len(nrow(overall))) {
  o <- overall[i, ]
  cat(sprintf("| %s | %s | %s | %s | %s | %s |\n", o$method, pct(o$pod_vigil), pct(o$pod_r),
              pct(o$fpr_vigil), pct(o$fpr_r), pct(o$agreement)))
}
for (method in c("farrington-flexible", "farrington")) {
  cat(sprintf("\n%s by scenario\n\n| scenario | POD Vigil | POD R | FPR Vigil | FPR R | same verdict |\n|---|---:|---:|---:|---:|---:|\n", method))
  rows <- by_scenario[by_scenario$method == method, ]
  for (i in seq_len(nrow(rows))) {
    o <- rows[i, ]
    cat(sprintf("| %s | %s | %s | %s | %s | %s |\n", o$scenario, pct(o$pod_vigil), pct(o$pod_r),
                pct(o$fpr_vigil), pct(o$fpr_r), pct(o$agreement)))
  }
}
unlink(scratch, recursive = TRUE)
