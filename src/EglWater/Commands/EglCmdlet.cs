using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using EglWater.Api;

namespace EglWater.Commands
{
    /// <summary>
    /// Base of every EglWater cmdlet: one cancellation source per call (Ctrl+C cancels the request in
    /// flight), waiting on async work from the pipeline thread while relaying the client's log lines
    /// to Verbose/Debug on that same thread, and the mapping of client failures to ErrorRecords.
    /// </summary>
    public abstract class EglCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        private readonly QueueLog _log = new QueueLog();
        private readonly System.Collections.Generic.HashSet<string> _warned = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        private bool _disposed;

        protected CancellationToken CancellationToken => _cancel.Token;

        /// <summary>Where the API client logs; lines are written by <see cref="Await{T}"/> on the pipeline thread.</summary>
        internal IEglLog Log => _log;

        protected override void StopProcessing() => _cancel.Cancel();

        /// <summary>Waits for a task on the pipeline thread, writing log lines as they come, and unwraps its failure.</summary>
        protected T Await<T>(Task<T> task)
        {
            // Ctrl+C returns at once, even if the work in flight is slow to notice its cancellation.
            var handles = new[] { ((IAsyncResult)task).AsyncWaitHandle, _log.Signal, _cancel.Token.WaitHandle };
            while (true)
            {
                FlushLog();
                if (task.IsCompleted) break;
                if (_cancel.IsCancellationRequested) throw new PipelineStoppedException();
                WaitHandle.WaitAny(handles);
            }

            FlushLog();
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        protected void Await(Task task) => Await(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default));

        protected void FlushLog()
        {
            while (_log.TryDequeue(out var line))
            {
                switch (line.Kind)
                {
                    case LogKind.Debug:
                        WriteDebug(line.Text);
                        break;
                    case LogKind.Warning:
                        // One warning per distinct text and command: a unit unknown in every chunk is said once.
                        if (_warned.Add(line.Text)) WriteWarning(line.Text);
                        break;
                    default:
                        WriteVerbose(line.Text);
                        break;
                }
            }
        }

        internal static ErrorRecord ErrorRecordFor(EglException ex, object? target) => EglAdvice.RecordFor(ex, target);

        protected void ThrowEgl(EglException ex, object? target = null) => ThrowTerminatingError(ErrorRecordFor(ex, target));

        protected void WriteEgl(EglException ex, object? target = null) => WriteError(ErrorRecordFor(ex, target));

        protected void ThrowArgument(string message, string errorId, object? target) =>
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target));

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (_disposed) return;
            if (disposing)
            {
                _cancel.Dispose();
                _log.Signal.Dispose();
            }

            _disposed = true;
        }

        private enum LogKind
        {
            Verbose,
            Debug,
            Warning,
        }

        private sealed class QueueLog : IEglLog
        {
            private readonly ConcurrentQueue<(LogKind Kind, string Text)> _lines = new ConcurrentQueue<(LogKind, string)>();

            public AutoResetEvent Signal { get; } = new AutoResetEvent(false);

            public void Verbose(string message) => Enqueue(LogKind.Verbose, message);

            public void Debug(string message) => Enqueue(LogKind.Debug, message);

            public void Warning(string message) => Enqueue(LogKind.Warning, message);

            public bool TryDequeue(out (LogKind Kind, string Text) line) => _lines.TryDequeue(out line);

            private void Enqueue(LogKind kind, string message)
            {
                _lines.Enqueue((kind, message));
                try
                {
                    Signal.Set();
                }
                catch (ObjectDisposedException)
                {
                    // A late line from a background chunk after the cmdlet ended: nobody is listening.
                }
            }
        }
    }
}
