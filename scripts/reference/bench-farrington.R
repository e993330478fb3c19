#!/usr/bin/env Rscript
# Times surveillance::farringtonFlexible (default control) evaluating the last
# 52 weeks of the 520-week series Vigil's bench/farrington_bench.cc uses, and
# prints the median seconds per run of 52 weeks:
#
#   Rscript scripts/reference/bench-farrington.R SERIES.csv [REPETITIONS]
#
# SERIES.csv: a reference file with a `value` column (see bench/farrington-vs-r.sh).
suppressPackageStartupMessages(library(surveillance))

args <- commandArgs(trailingOnly = TRUE)
values <- read.csv(args[1])$value
repetitions <- if (length(args) >= 2) as.integer(args[2]) else 5
n <- length(values)
series <- sts(observed = matrix(values, ncol = 1), frequency = 52, start = c(2000, 1))
control <- list(range = (n - 51):n)
invisible(farringtonFlexible(series, control = control))  # warm-up (byte compilation, loading)
seconds <- vapply(seq_len(repetitions), function(i) {
  system.time(farringtonFlexible(series, control = control))[["elapsed"]]
}, 0)
cat(sprintf("%.6f\n", median(seconds)))
