# Sourced by Benchmarks/small-sweeps.sh and Benchmarks/slurm-overhead.sh: the one definition of their small-data
# sweep and of the checksum that says two runs recorded the same metrics.

# small_sweep NAME NPZ EPOCHS [TASK] → the experiment file: 72 trials (3 cells × 8/16/32 units × adam/rmsprop ×
# 4 seeds), batch 16, learning rate 0.001, on the npz file NPZ; TASK "regression" for real targets.
small_sweep() {
    cat <<YAML
name: $1
description: 72 small trials on $(basename "$2") (batch 16, $3 epochs)
dataset: npz
${4:+task: $4}
data_dir: $(realpath "$2")
defaults:
  epochs: $3
  batch_size: 16
  learning_rate: 0.001
grid:
  cell: [simple_rnn, lstm, gru]
  units: [8, 16, 32]
  optimizer: [adam, rmsprop]
seeds: 4
YAML
}

# metrics DATABASE → a checksum of every recorded epoch and test loss (the metrics every task records).
metrics() {
    sqlite3 -readonly "$1" "select trial_id, epoch, loss, val_loss from epochs order by trial_id, epoch;
        select id, test_loss from trials order by id" | md5sum | cut -c1-12
}
