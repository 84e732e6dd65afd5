"""Deployment: ONNX export and onnxruntime inference of de-raining models."""
from .onnx_export import (DEFAULT_ATOL, DEFAULT_OPSET, EXPORT_SIZE,
                          DynamicAdaptiveAvgPool2d, export_onnx,
                          exportable_copy, min_input_size, verify_onnx)
from .onnx_runtime import OnnxDerainer, init_onnx_model

__all__ = [
    'DEFAULT_ATOL', 'DEFAULT_OPSET', 'EXPORT_SIZE', 'DynamicAdaptiveAvgPool2d',
    'OnnxDerainer', 'export_onnx', 'exportable_copy', 'init_onnx_model',
    'min_input_size', 'verify_onnx'
]
