# fake-dinero in a container: `docker build -t fake-dinero . && docker run -p 8765:8765 fake-dinero`
# The server listens on 0.0.0.0 inside the container; publish the port only to
# the machines that should reach it (the control plane under /_fake/ is open).
FROM python:3.12-slim

WORKDIR /opt/fake-dinero
COPY pyproject.toml README.md LICENSE ./
COPY fake_dinero ./fake_dinero
COPY contracts ./contracts
COPY pytest_plugin ./pytest_plugin
COPY fixtures ./fixtures
RUN pip install --no-cache-dir . && rm -rf /opt/fake-dinero

EXPOSE 8765
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8765/openapi.json', timeout=2)"
ENTRYPOINT ["fake-dinero", "serve", "--host", "0.0.0.0", "--port", "8765"]
