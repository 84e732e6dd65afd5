"""The evaluation matrix of sequential training: a metric after task i on
test set j, with the summaries used in continual learning (average,
backward transfer, forgetting) and the generalization columns that
Neural Reorganization reports (Tables 1-4)."""
import csv
import json
import math
import os.path as osp
from typing import Dict, List, Optional, Sequence


class SequenceMatrix:
    """Metrics after each task on every test set.

    Column ``j`` of ``task_sets`` must be the test set of task ``j`` (same
    training order): backward transfer compares a set's final value with
    its value right after its own task. ``extra_sets`` (e.g. SPA-Data)
    measure generalization and never enter the average.

    Args:
        task_sets (Sequence[str]): Test sets of the tasks, in training
            order.
        extra_sets (Sequence[str]): Held-out sets. Defaults to ().
        metrics (Sequence[str]): Metric names, e.g. ``'Y/PSNR'``.
            Defaults to ``('Y/PSNR', 'Y/SSIM')``.
    """

    def __init__(self,
                 task_sets: Sequence[str],
                 extra_sets: Sequence[str] = (),
                 metrics: Sequence[str] = ('Y/PSNR', 'Y/SSIM')) -> None:
        self.task_sets = list(task_sets)
        self.extra_sets = list(extra_sets)
        self.metrics = list(metrics)
        sets = self.sets
        if len(set(sets)) != len(sets) or not sets:
            raise ValueError('SequenceMatrix needs distinct set names, got '
                             f'{sets}.')
        if not self.metrics:
            raise ValueError('SequenceMatrix needs at least one metric.')
        # task index -> (task name, {metric: {set: value}})
        self.rows: Dict[int, tuple] = {}

    @property
    def sets(self) -> List[str]:
        """list[str]: All columns, task sets first."""
        return self.task_sets + self.extra_sets

    def set_row(self, task_idx: int, task_name: str,
                values: Dict[str, Dict[str, float]]) -> None:
        """Record the metrics after task ``task_idx``.

        Args:
            task_idx (int): Index of the finished task.
            task_name (str): Its name.
            values (dict): ``values[metric][set]`` for every metric and set.
        """
        for metric in self.metrics:
            for name in self.sets:
                if name not in values.get(metric, {}):
                    raise KeyError(f'Row after task {task_idx} lacks '
                                   f'{metric} on {name}.')
        self.rows[task_idx] = (task_name, {
            m: {s: float(values[m][s])
                for s in self.sets}
            for m in self.metrics
        })

    @property
    def task_indices(self) -> List[int]:
        """list[int]: Indices of the recorded rows, ascending."""
        return sorted(self.rows)

    def value(self, metric: str, task_idx: int, set_name: str) -> float:
        """The metric on ``set_name`` after task ``task_idx``."""
        return self.rows[task_idx][1][metric][set_name]

    def final_row(self, metric: str) -> Dict[str, float]:
        """Values of the last recorded row."""
        return dict(self.rows[self.task_indices[-1]][1][metric])

    def average(self, metric: str) -> float:
        """Mean over the task sets after the last recorded task."""
        row = self.final_row(metric)
        return sum(row[s] for s in self.task_sets) / len(self.task_sets)

    def _past_tasks(self) -> List[int]:
        last = self.task_indices[-1]
        return [
            j for j in range(min(last, len(self.task_sets))) if j in self.rows
        ]

    def backward_transfer(self, metric: str) -> Optional[float]:
        """Mean over earlier tasks j of ``R[last, j] - R[j, j]``
        (negative: forgetting). None with a single task."""
        past = self._past_tasks()
        if not past:
            return None
        last = self.task_indices[-1]
        return sum(
            self.value(metric, last, self.task_sets[j]) -
            self.value(metric, j, self.task_sets[j])
            for j in past) / len(past)

    def forgetting(self, metric: str) -> Optional[float]:
        """Mean over earlier tasks j of the best value seen before the last
        task minus the final one (positive: forgetting). None with a single
        task."""
        past = self._past_tasks()
        if not past:
            return None
        last = self.task_indices[-1]
        drops = []
        for j in past:
            name = self.task_sets[j]
            best = max(
                self.value(metric, i, name) for i in self.task_indices
                if j <= i < last)
            drops.append(best - self.value(metric, last, name))
        return sum(drops) / len(drops)

    def summary(self) -> Dict[str, dict]:
        """Per metric: average, backward transfer, forgetting and the final
        values on the held-out sets."""
        final = {m: self.final_row(m) for m in self.metrics}
        return {
            m: dict(
                average=self.average(m),
                backward_transfer=self.backward_transfer(m),
                forgetting=self.forgetting(m),
                generalization={s: final[m][s]
                                for s in self.extra_sets})
            for m in self.metrics
        }

    def to_dict(self) -> dict:
        """A JSON-serializable form (read back with :meth:`from_dict`)."""
        data = dict(
            task_sets=self.task_sets,
            extra_sets=self.extra_sets,
            metrics=self.metrics,
            rows=[
                dict(task_idx=i, task_name=self.rows[i][0],
                     values=self.rows[i][1]) for i in self.task_indices
            ])
        if self.rows:
            data['summary'] = self.summary()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> 'SequenceMatrix':
        """Rebuild a matrix from :meth:`to_dict` output."""
        matrix = cls(data['task_sets'], data['extra_sets'], data['metrics'])
        for row in data['rows']:
            matrix.set_row(row['task_idx'], row['task_name'], row['values'])
        return matrix

    @classmethod
    def load(cls, path: str) -> 'SequenceMatrix':
        """Read a JSON file written by :meth:`save_json`."""
        with open(path, encoding='utf-8') as f:
            return cls.from_dict(json.load(f))

    def save_json(self, path: str) -> None:
        """Write the matrix and its summary as JSON."""
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(self.to_dict(), f, indent=2)

    def save_csv(self, path: str) -> None:
        """Write one line per (task, metric): the values on every set."""
        with open(path, 'w', newline='', encoding='utf-8') as f:
            writer = csv.writer(f)
            writer.writerow(['after_task', 'task_name', 'metric'] + self.sets)
            for i in self.task_indices:
                name, values = self.rows[i]
                for m in self.metrics:
                    writer.writerow([i, name, m] +
                                    [f'{values[m][s]:.6g}' for s in self.sets])

    def save_heatmap(self, path: str) -> None:
        """Draw one heatmap per metric (rows: after task, columns: sets)."""
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt

        rows = self.task_indices
        labels = [f'{i}: {self.rows[i][0]}' for i in rows]
        fig, axes = plt.subplots(
            1,
            len(self.metrics),
            figsize=(1.3 * len(self.sets) * len(self.metrics) + 2,
                     0.6 * len(rows) + 2.2),
            squeeze=False)
        for ax, metric in zip(axes[0], self.metrics):
            grid = [[self.value(metric, i, s) for s in self.sets]
                    for i in rows]
            image = ax.imshow(grid, cmap='viridis', aspect='auto')
            ax.set_xticks(range(len(self.sets)))
            ax.set_xticklabels(self.sets, rotation=30, ha='right')
            ax.set_yticks(range(len(rows)))
            ax.set_yticklabels(labels)
            ax.set_xlabel('test set')
            ax.set_ylabel('after task')
            ax.set_title(metric)
            if self.extra_sets:
                ax.axvline(len(self.task_sets) - 0.5, color='white', lw=2)
            finite = [v for line in grid for v in line if math.isfinite(v)]
            middle = (max(finite) + min(finite)) / 2 if finite else 0
            for r, line in enumerate(grid):
                for c, v in enumerate(line):
                    ax.text(
                        c,
                        r,
                        f'{v:.3f}' if abs(v) < 10 else f'{v:.2f}',
                        ha='center',
                        va='center',
                        color='black' if v > middle else 'white',
                        fontsize=8)
            fig.colorbar(image, ax=ax)
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        plt.close(fig)

    def save_all(self, out_dir: str, prefix: str) -> List[str]:
        """Write ``{prefix}.json``, ``.csv`` and ``.png`` into
        ``out_dir``; return the paths."""
        paths = [
            osp.join(out_dir, f'{prefix}.{ext}')
            for ext in ('json', 'csv', 'png')
        ]
        self.save_json(paths[0])
        self.save_csv(paths[1])
        self.save_heatmap(paths[2])
        return paths

    def format_row(self, task_idx: int) -> str:
        """One row as ``set: metric=value ...`` text for logs."""
        name, values = self.rows[task_idx]
        cells = []
        for s in self.sets:
            cells.append(s + ' ' + ' '.join(
                f'{m}={values[m][s]:.4f}' for m in self.metrics))
        return f'after task {task_idx} ({name}): ' + ' | '.join(cells)
