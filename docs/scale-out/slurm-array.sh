#!/bin/bash
# Slurm job array: one task per shard; batch reads SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT
# (or _MIN/_MAX/_STEP), so the array may be 0-7, 1-8 or 0-14:2 alike.
#   apptainer build scene3d-llm.sif docker://registry.example.com/scene3d-llm:latest
#   sbatch docs/scale-out/slurm-array.sh
#   sbatch --dependency=afterany:<jobid> --wrap "apptainer run scene3d-llm.sif batch-status $OUT"
#SBATCH --job-name=scene3d-batch
#SBATCH --array=0-7
#SBATCH --cpus-per-task=4
#SBATCH --mem=16G
#SBATCH --time=24:00:00
#SBATCH --output=scene3d-batch-%A_%a.log
set -euo pipefail

DATASET=${DATASET:-/scratch/$USER/scannet/scans}
OUT=${OUT:-/scratch/$USER/scene3d-features}
MODELS=${MODELS:-/scratch/$USER/models}
IMAGE=${IMAGE:-scene3d-llm.sif}

# The same command as every other engine (docs/scale-out.md); apptainer passes SLURM_* through.
CMD=(batch /data/scenes --out /data/features --model /models/clip --detail coarse)

mkdir -p "$OUT"
srun apptainer run \
  --bind "$DATASET:/data/scenes:ro" \
  --bind "$OUT:/data/features" \
  --bind "$MODELS:/models:ro" \
  "$IMAGE" "${CMD[@]}"
