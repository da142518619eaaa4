"""schemagen's bundled ``inferencesh`` surface (the reference is inferencesh 0.7.15).

The loader puts ``schemagen/sdk`` first on ``sys.path`` in its child process
only (``--sdk bundled``, or ``auto`` without a real SDK installed), so an app's
``import inferencesh`` finds this package; it never shadows a user's real SDK.
(That folder has no ``__init__.py`` on purpose: this package must only ever be
imported as ``inferencesh``.)

What it provides: the models apps build schemas from (SPEC.md section 4), with
``model_json_schema()`` byte-identical to inferencesh 0.7.15's, including the
field reordering of its base classes (``models/base.py``) and the ``File`` type;
``tests/sdk/test_parity_0715.py`` proves it.  Every model is importable from
``inferencesh``, ``inferencesh.models`` and its defining module.  Any other name
(helpers, clients, error classes, ...) resolves through the module's
``__getattr__`` to a stub, as an attribute of a stubbed module would.

One extension: ``function``, the per-function metadata decorator of later SDKs
(see ``decorators.py``); 0.7.15 has none.
"""
# ruff: noqa: F401, F822  (re-exports; names in __all__ that __getattr__ provides)

from ._lazy import LLM_NAMES, lazy_getattr
from ._missing import stub_getattr
from .decorators import function
from .models import (
    AudioMeta,
    BaseApp,
    BaseAppInput,
    BaseAppOutput,
    BaseAppSetup,
    File,
    ImageMeta,
    Metadata,
    MetaItem,
    MetaItemType,
    OptionalAudioFieldMixin,
    OptionalFileFieldMixin,
    OptionalImageFieldMixin,
    OptionalTextFieldMixin,
    OptionalVideoFieldMixin,
    OutputMeta,
    RawMeta,
    RequiredAudioFieldMixin,
    RequiredFileFieldMixin,
    RequiredImageFieldMixin,
    RequiredTextFieldMixin,
    RequiredVideoFieldMixin,
    TextMeta,
    VideoMeta,
    VideoResolution,
)

__version__ = "0.7.15"

# The real package's __all__ (duplicates included), so star-imports bind the same names.
__all__ = [
    "BaseApp", "BaseAppInput", "BaseAppOutput", "BaseAppSetup", "File", "Metadata",
    "ContextMessageRole", "Message", "ContextMessage", "LLMInput", "LLMOutput",
    "build_messages", "stream_generate", "timing_context",
    "MetaItem", "MetaItemType", "TextMeta", "ImageMeta", "VideoMeta", "VideoResolution",
    "AudioMeta", "RawMeta", "OutputMeta", "probe_video",
    "StorageDir", "download",
    "inference", "async_inference", "Inference", "AsyncInference", "UploadFileOptions",
    "TaskStatus", "ChatMessageStatus", "parse_status", "is_terminal_status", "is_message_ready",
    "APIError", "RequirementsNotMetError", "RequirementError", "SetupAction", "SessionError",
    "SessionNotFoundError", "SessionExpiredError", "SessionEndedError", "WorkerLostError",
    "ChatStatus", "ChatMessageRole", "ChatMessageContentType", "ToolType", "ToolInvocationStatus",
    "Agent", "AgentTool", "AgentToolDTO", "AgentConfig",
    "ChatDTO", "ChatMessageDTO", "ChatData", "ChatMessageContent", "ChatTaskInput",
    "ChatTaskContextMessage",
    "ToolCall", "ToolCallFunction", "ToolInvocationDTO", "ToolResultRequest", "Tool",
    "ToolFunction", "ToolParameters",
    "Agent", "AsyncAgent", "AgentConfig", "InternalToolsConfig", "ToolCallInfo",
    "tool", "app_tool", "agent_tool", "webhook_tool", "http_tool", "call_tool", "mcp_tool",
    "internal_tools", "string", "number", "integer", "boolean", "enum_of", "array", "obj",
    "optional", "ClientTool", "ClientToolHandler",
    "TasksAPI", "AsyncTasksAPI", "FilesAPI", "AsyncFilesAPI", "AgentsAPI", "AsyncAgentsAPI",
    "SessionsAPI", "AsyncSessionsAPI", "SessionHandle", "AsyncSessionHandle",
    "streamable", "streamable_raw", "iter_ndjson", "stream_post", "stream_get",
    "StreamableMessage",
]  # fmt: skip

# The LLM models come from models.llm when first asked for (see _lazy.py).
__getattr__ = lazy_getattr(globals(), LLM_NAMES, stub_getattr(__name__, globals()))
