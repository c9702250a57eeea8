# One image for every process of the production deployment: app, worker and bridge.
FROM python:3.11-slim
WORKDIR /app
ENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY pyproject.toml README.md ./
COPY contact_center ./contact_center
COPY cti_bridge ./cti_bridge
COPY knowledge_base ./knowledge_base
COPY agent_ui ./agent_ui
RUN pip install --no-cache-dir .
RUN useradd --create-home --uid 10001 cc
USER cc
EXPOSE 8000
CMD ["contact-center", "serve", "--host", "0.0.0.0", "--port", "8000"]
