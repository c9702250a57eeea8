# One image for every process of the production deployment: app, worker and bridge.
# It installs exactly uv.lock, as scripts/bootstrap does: uv from PyPI through pip (pinned with hashes),
# the locked dependencies without the development tools, then the project built by the locked setuptools.
FROM python:3.11-slim
WORKDIR /app
ENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_PYTHON_DOWNLOADS=never UV_NO_CACHE=1 UV_PROJECT_ENVIRONMENT=/app/.venv UV_COMPILE_BYTECODE=1
COPY scripts/uv-requirements.txt scripts/
RUN pip install --no-cache-dir --require-hashes --no-deps -r scripts/uv-requirements.txt
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-default-groups --group build --no-install-project
COPY contact_center ./contact_center
COPY cti_bridge ./cti_bridge
COPY knowledge_base ./knowledge_base
COPY agent_ui ./agent_ui
RUN uv sync --frozen --no-default-groups --group build --no-editable
ENV PATH=/app/.venv/bin:$PATH
RUN useradd --create-home --uid 10001 cc && mkdir -p /var/lib/contact-center && chown cc /var/lib/contact-center
USER cc
EXPOSE 8000
CMD ["contact-center", "serve", "--host", "0.0.0.0", "--port", "8000"]
