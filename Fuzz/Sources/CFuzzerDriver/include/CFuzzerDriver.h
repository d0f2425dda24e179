#ifndef CFUZZER_DRIVER_H
#define CFUZZER_DRIVER_H

/// Runs libFuzzer's driver on LLVMFuzzerTestOneInput (defined by the Swift target) with the process's arguments.
///
/// SwiftPM links every executable with `--defsym main=<Target>_main`, so libFuzzer's own `main` is never linked; each
/// target's `<Target>_main` calls this instead, which is what libFuzzer's `main` does.
int rnnsweep_fuzzer_main(int argc, char **argv);

#endif
