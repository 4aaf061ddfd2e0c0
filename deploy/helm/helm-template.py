#!/usr/bin/env python3
"""`helm template` / `helm lint` for machines without the helm binary.

Renders a chart with Helm's own Go engine (Helm v4 SDK, bundled by the PyPI package
helm-python-sdk as libhelm_c) and prints the manifests like `helm template` does: one YAML
document per template, in template-path order, NOTES.txt left out.

  helm-template.py [--name N] [--namespace NS] [--values FILE]... [--set-json JSON]... CHART
  helm-template.py --lint CHART
"""
import argparse
import json
import sys

try:
    import helm_python as helm
except ImportError:
    sys.exit("helm-template.py: the Python package helm-python-sdk is not installed "
             "(pip install helm-python-sdk)")


def deep_merge(base, extra):
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            deep_merge(base[key], value)
        else:
            base[key] = value
    return base


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chart")
    parser.add_argument("--name", default="token-warden")
    parser.add_argument("--namespace", default="token-warden")
    parser.add_argument("--values", action="append", default=[], help="values YAML file")
    parser.add_argument("--set-json", action="append", default=[], help="values as a JSON object")
    parser.add_argument("--lint", action="store_true", help="run helm lint instead")
    args = parser.parse_args()

    if args.lint:
        result = helm.lint(args.chart)
        for message in result.get("messages", []):
            print(f"{message.get('path')}: {message.get('error')} (severity {message.get('severity')})")
        errors = result.get("errors") or []
        for error in errors:
            print(f"error: {error}", file=sys.stderr)
        return 1 if errors else 0

    values = {}
    for path in args.values:
        with open(path, encoding="utf-8") as handle:
            deep_merge(values, helm.values_from_yaml(handle.read()))
    for text in args.set_json:
        deep_merge(values, json.loads(text))

    with helm.Chart.load(args.chart) as chart:
        # `helm template` validates the merged values against values.schema.json first.
        chart.validate_schema(values)
        rendered = chart.render(values, name=args.name, namespace=args.namespace)
    for path in sorted(rendered):
        body = rendered[path].strip()
        if path.endswith("NOTES.txt") or not body:
            continue
        # Comment-only output (a disabled template) is not a manifest.
        if all(not line.strip() or line.lstrip().startswith("#") for line in body.splitlines()):
            continue
        print("---")
        print(f"# Source: {path}")
        print(body)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except helm.HelmError as error:
        sys.exit(f"helm-template.py: {error}")
