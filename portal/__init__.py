"""The top app layer: home pages with each person's "your work", the service navigation and
the demo data. It may import any app below it; none imports it."""
